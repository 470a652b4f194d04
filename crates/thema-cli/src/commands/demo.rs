//! `thema demo`: build the bundled example study (assembled from the quotes published in Palis et
//! al. 2024, CC BY 4.0; see `examples/palis-2024/README.md`) and run every step that exists on it,
//! printing each command and what it produced.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use thema_core::Study;

use crate::cli::{
    CodeArgs, CodebookArgs, CodebookCommand, CooccurArgs, DemoArgs, Description, ExemplarArgs, ExportArgs, ExportWhat,
    ImportArgs, InvivoArgs, InvivoCommand, KwicArgs, LsArgs, MapArgs, ParticipantsCommand, Passage, RelateArgs,
    ReportArgs, SaturationArgs, SearchArgs, SearchFilters, SegmentsArgs, ShowArgs, SpeakersArgs, WordsArgs,
};
use crate::output::{count, with_hint};

/// The example's files, compiled into the binary so the demo runs from anywhere.
const EXAMPLE: &[(&str, &str)] = &[
    ("study.toml", include_str!("../../../../examples/palis-2024/study.toml")),
    ("coding.toml", include_str!("../../../../examples/palis-2024/coding.toml")),
    ("participants.csv", include_str!("../../../../examples/palis-2024/participants.csv")),
    ("transcripts/fg1.txt", include_str!("../../../../examples/palis-2024/transcripts/fg1.txt")),
    ("transcripts/fg2.txt", include_str!("../../../../examples/palis-2024/transcripts/fg2.txt")),
    ("transcripts/int1.txt", include_str!("../../../../examples/palis-2024/transcripts/int1.txt")),
    ("transcripts/int2.txt", include_str!("../../../../examples/palis-2024/transcripts/int2.txt")),
    ("transcripts/int3.txt", include_str!("../../../../examples/palis-2024/transcripts/int3.txt")),
    ("transcripts/int4.txt", include_str!("../../../../examples/palis-2024/transcripts/int4.txt")),
    ("transcripts/int5.txt", include_str!("../../../../examples/palis-2024/transcripts/int5.txt")),
];

/// Marks a folder as made by `thema demo`, so a later demo may replace it.
const MARKER: &str = ".thema/demo";

#[derive(Deserialize)]
struct ExampleStudy {
    name: String,
    description: String,
    documents: Vec<ExampleDocument>,
}

/// `coding.toml`: the paper's themes, sub-themes and relations, and the example's in-vivo codes.
#[derive(Deserialize)]
struct ExampleCoding {
    coder: String,
    theme: Vec<ExampleTheme>,
    relation: Vec<ExampleRelation>,
    invivo: Vec<ExampleInvivo>,
    #[serde(default)]
    exemplar: Vec<ExampleExemplar>,
}

/// A turn the paper quotes: coded whole with `code` and marked as an exemplar.
#[derive(Deserialize)]
struct ExampleExemplar {
    document: String,
    /// The beginning of the turn.
    quote: String,
    code: String,
}

#[derive(Deserialize)]
struct ExampleTheme {
    name: String,
    role: String,
    definition: String,
    #[serde(default)]
    sub_themes: Vec<String>,
}

/// One name or several.
#[derive(Deserialize)]
#[serde(untagged)]
enum Names {
    One(String),
    Many(Vec<String>),
}

impl Names {
    fn list(&self) -> Vec<&str> {
        match self {
            Names::One(n) => vec![n.as_str()],
            Names::Many(ns) => ns.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Deserialize)]
struct ExampleRelation {
    from: Names,
    to: Names,
    label: String,
}

#[derive(Deserialize)]
struct ExampleInvivo {
    document: String,
    quote: String,
    #[serde(default)]
    occurrence: Option<usize>,
    parent: String,
}

#[derive(Deserialize)]
struct ExampleDocument {
    file: String,
    id: String,
    title: String,
    kind: String,
}

fn example(name: &str) -> Result<&'static str> {
    EXAMPLE
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .with_context(|| format!("the example has no `{name}`"))
}

/// Print the command about to run, as a user would type it.
fn step(command: &str) {
    eprintln!("\n$ {command}");
}

pub(crate) fn run(args: DemoArgs) -> Result<ExitCode> {
    let out = args.out;
    prepare_folder(&out)?;
    let example_study: ExampleStudy =
        toml::from_str(example("study.toml")?).context("reading the example's study.toml")?;
    let shown = super::display(&out);

    step(&format!("thema init {shown}"));
    let mut study = Study::init(&out, &example_study.name)?;
    study.settings.description = example_study.description.clone();
    // Palis et al. attribute quotes as "-Simon, Peer Mentor", thema's default style
    // (`pseudonym-role`), so `thema.toml` need not name it. REFI-QDA has no place for a quote
    // style: a study that sets one loses it in a `.qdpx` round trip (docs/attribution.md).
    study.save_settings()?;
    std::fs::create_dir_all(out.join(".thema"))?;
    thema_core::fsio::write_atomic(&out.join(MARKER), b"made by `thema demo`; a later demo replaces this folder\n")?;
    eprintln!("created study `{}` in {shown}", example_study.name);

    // The transcripts to import, as a researcher would have them: files outside the study.
    let sources = out.join(".thema/demo-sources");
    for (name, text) in EXAMPLE {
        if name.starts_with("transcripts/") {
            let path = sources.join(name);
            std::fs::create_dir_all(path.parent().unwrap_or(&sources))?;
            thema_core::fsio::write_atomic(&path, text.as_bytes())?;
        }
    }

    step("cp examples/palis-2024/participants.csv participants.csv");
    thema_core::fsio::write_atomic(&out.join("participants.csv"), example("participants.csv")?.as_bytes())?;
    let study = Study::open(&out)?;
    eprintln!("{} participants: pseudonyms and roles as the paper prints them", study.participants.rows().len());

    for document in &example_study.documents {
        let file = sources.join(&document.file);
        step(&format!(
            "thema import {} --id {} --kind {} --title \"{}\"",
            document.file, document.id, document.kind, document.title
        ));
        let study = Study::open(&out)?;
        let code = super::import::run(
            &study,
            ImportArgs {
                files: vec![file],
                format: None,
                encoding: None,
                clean: false,
                kind: Some(document.kind.clone()),
                date: None,
                wave: None,
                title: Some(document.title.clone()),
                id: Some(document.id.clone()),
                speakers: None,
                add_participants: false,
                role: None,
                text_column: None,
                id_column: None,
                replace: false,
                skip_existing: false,
                json: false,
                verbose: false,
                interviewers: Vec::new(),
            },
        )?;
        if code != ExitCode::SUCCESS {
            bail!("importing `{}` failed", document.file);
        }
    }

    code_example(&out)?;

    let study = Study::open(&out)?;
    step("thema ls");
    super::ls::run(&study, LsArgs { json: false })?;
    step("thema speakers");
    super::speakers::run(&study, SpeakersArgs { document: None, unlinked: false, json: false })?;
    step("thema participants list");
    super::participants::run(study.clone(), ParticipantsCommand::List { json: false })?;
    let first = example_study.documents.first().map(|d| d.id.clone()).unwrap_or_default();
    step(&format!("thema show {first} --turns 1..4"));
    super::show::run(
        &study,
        None,
        ShowArgs {
            document: first,
            turns: Some("1..4".into()),
            width: Some(100),
            no_wrap: false,
            spans: false,
            codes: false,
            json: false,
        },
    )?;
    step("thema codebook");
    super::codebook::run(&study, None, &[], CodebookArgs { command: None, json: false })?;
    step("thema segments \"Offering hope\"");
    super::segments::run(
        &study,
        &[],
        SegmentsArgs {
            entry: "Offering hope".into(),
            by: None,
            attribution: None,
            wheres: Vec::new(),
            waves: Vec::new(),
            width: Some(100),
            json: false,
        },
    )?;
    step("thema invivo suggest --limit 8");
    super::code::invivo(
        &study,
        None,
        InvivoArgs {
            command: Some(InvivoCommand::Suggest {
                min_count: 2,
                limit: 8,
                documents: Vec::new(),
                wheres: Vec::new(),
                waves: Vec::new(),
                json: false,
            }),
            document: None,
            quote: None,
            occurrence: None,
            turn: None,
            parent: None,
            memo: String::new(),
            json: false,
        },
    )?;
    step("thema search court --where role=\"Peer Mentor\" --order document");
    let peer_mentors = SearchFilters { wheres: vec!["role=Peer Mentor".into()], ..SearchFilters::default() };
    super::search::search(
        &study,
        None,
        SearchArgs {
            query: "court".into(),
            filters: peer_mentors,
            order: "document".into(),
            limit: 20,
            count: None,
            autocode: None,
            unit: "hit".into(),
            dry_run: false,
            width: Some(100),
            json: false,
        },
    )?;
    step("thema kwic '\"way out\"'");
    super::search::kwic(
        &study,
        KwicArgs {
            term: "\"way out\"".into(),
            filters: SearchFilters::default(),
            context: 40,
            limit: 1000,
            json: false,
        },
    )?;
    step("thema words --compare role --limit 3");
    super::search::words(
        &study,
        WordsArgs {
            by: None,
            compare: Some("role".into()),
            stem: false,
            ngram: 1,
            interviewers: false,
            min_count: 2,
            limit: 3,
            json: false,
        },
    )?;
    step("thema participants table --markdown");
    super::analysis::participants_table(&study, &[], &[], false, true, false)?;
    let outputs = out.join("outputs");
    std::fs::create_dir_all(&outputs)?;
    let people = super::analysis::selected_people(&study, &[], &[])?;
    let table =
        thema_analysis::participants::table(&people, &study.settings.participant_attributes).render(true, false);
    thema_core::fsio::write_atomic(&outputs.join("participants.md"), table.as_bytes())?;
    step(&format!("thema saturation --chart {shown}/outputs/saturation.svg"));
    super::analysis::saturation(
        &study,
        &[],
        SaturationArgs {
            order: None,
            base: None,
            run: None,
            threshold: None,
            kinds: Vec::new(),
            waves: Vec::new(),
            by: None,
            by_coder: None,
            chart: Some(outputs.join("saturation.svg")),
            json: false,
        },
    )?;
    step(&format!("thema cooccur --within turns:2 --min 2 --heatmap {shown}/outputs/cooccurrence.svg --cluster"));
    super::analysis::cooccur(
        &study,
        &[],
        CooccurArgs {
            within: thema_analysis::cooccur::Within::Turns(2),
            roll_up: None,
            codes: Vec::new(),
            wheres: Vec::new(),
            waves: Vec::new(),
            per_document: false,
            coefficient: thema_analysis::study_cooccurrence::Coefficient::C,
            min: 2,
            heatmap: Some(outputs.join("cooccurrence.svg")),
            cluster: true,
            graphml: Some(outputs.join("cooccurrence.graphml")),
            dot: None,
            json: false,
        },
    )?;
    let export = |what: ExportWhat, file: &str, quotes: usize| -> Result<()> {
        let name = format!("{:?}", what).to_lowercase();
        step(&format!("thema export {name} --out {shown}/outputs/{file}"));
        let args = ExportArgs {
            what,
            format: None,
            out: Some(outputs.join(file)),
            quotes,
            documents: Vec::new(),
            kinds: Vec::new(),
            median: false,
            attribution: None,
        };
        super::publish::export(&study, &[], args)?;
        Ok(())
    };
    export(ExportWhat::Codebook, "codebook.md", 2)?;
    export(ExportWhat::Codebook, "codebook.xlsx", 2)?;
    export(ExportWhat::Themes, "themes.md", 2)?;
    export(ExportWhat::Themes, "themes.docx", 2)?;
    export(ExportWhat::Participants, "participants.docx", 2)?;
    export(ExportWhat::Segments, "segments.csv", 2)?;
    step(&format!("thema map --out {shown}/outputs/theme-map.svg"));
    let map = |file: &str, codes: bool| MapArgs { codes, format: None, out: Some(outputs.join(file)), title: None };
    super::publish::map(&study, map("theme-map.svg", false))?;
    step(&format!("thema map --codes --out {shown}/outputs/theme-map-codes.svg"));
    super::publish::map(&study, map("theme-map-codes.svg", true))?;
    super::publish::map(&study, map("theme-map.mmd", false))?;
    step(&format!("thema report --memos --out {shown}/outputs/report.html"));
    super::report::run(
        &study,
        &[],
        ReportArgs { out: outputs.join("report.html"), memos: true, codes: false, quotes: 2, attribution: None },
    )?;
    step(&format!("thema review --out {shown}/outputs/review.html"));
    let review =
        crate::cli::ReviewArgs { command: None, out: outputs.join("review.html"), reviewer: None, attribution: None };
    super::review::run(&study, None, &[], review)?;
    step("thema check");
    let code = super::check::report(&out, false)?;
    if code != ExitCode::SUCCESS {
        bail!("the example study does not pass `thema check`");
    }
    // The leak audit over the study and every output: no e-mail address, phone number, URL,
    // postal code, street address or date of birth may have slipped in.
    step("thema audit");
    let detectors = thema_ingest::deidentify::Deidentifier::new(&thema_ingest::deidentify::Key::default(), true);
    let audit = super::audit::scan(&out, &[], &detectors, None);
    for f in &audit.findings {
        eprintln!("{}:{}: {} `{}`", f.file, f.line, f.category, f.text);
    }
    if !audit.findings.is_empty() {
        bail!("the audit found {} direct identifiers in the example study's files", audit.findings.len());
    }
    eprintln!("audit: {} read, no direct identifiers found", count(audit.files_read, "file", "files"));

    eprintln!("\nproduced the study in {shown}:");
    eprintln!("  {shown}/thema.toml, participants.csv, codebook.toml");
    eprintln!(
        "  {shown}/documents/<id>/ for {} documents (document.toml, text.txt, turns.csv, speakers.csv)",
        example_study.documents.len()
    );
    eprintln!("  {shown}/outputs/report.html: the team report, one self-contained page for any browser");
    eprintln!("  {shown}/outputs/review.html: the team review page: click the map, comment, save the comments");
    eprintln!("  {shown}/outputs/ codebook.md/.xlsx, themes.md/.docx (Table 2), participants.md/.docx (Table 1),");
    eprintln!(
        "    theme-map.svg (and with codes, and .mmd), segments.csv, saturation.svg, cooccurrence.svg and .graphml"
    );
    eprintln!("  {shown}/.thema/demo-sources/ the transcripts it was built from");
    eprintln!("next: `thema --study {shown} show fg2`, or read examples/palis-2024/README.md for the sources");
    Ok(ExitCode::SUCCESS)
}

/// Build the paper's themes and sub-themes and code the example in vivo, through the same
/// commands a researcher would type. Times come from `SOURCE_DATE_EPOCH` (set here to the
/// paper's publication date unless already set) so the demo writes the same bytes every time.
fn code_example(out: &Path) -> Result<()> {
    let plan: ExampleCoding = toml::from_str(example("coding.toml")?).context("reading the example's coding.toml")?;
    if std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
        // 2024-01-08T00:00:00Z, when Palis et al. was published.
        std::env::set_var("SOURCE_DATE_EPOCH", "1704672000");
    }
    let coder = Some(plan.coder.clone());
    let study = Study::open(out)?;
    let add =
        |name: &str, kind: &str, parent: Option<&str>, role: Option<&str>, definition: Option<&str>| -> Result<()> {
            let mut line = format!("thema codebook add \"{name}\" --kind {kind}");
            if let Some(p) = parent {
                line.push_str(&format!(" --parent \"{p}\""));
            }
            if let Some(r) = role {
                line.push_str(&format!(" --role {r}"));
            }
            step(&line);
            let description = Description {
                definition: definition.map(str::to_owned),
                role: role.map(str::to_owned),
                ..Description::default()
            };
            let command = CodebookCommand::Add {
                name: name.to_owned(),
                kind: kind.to_owned(),
                parent: parent.map(str::to_owned),
                id: None,
                in_vivo: false,
                description,
                why: None,
            };
            super::codebook::run(&study, coder.clone(), &[], CodebookArgs { command: Some(command), json: false })?;
            Ok(())
        };
    for theme in &plan.theme {
        add(&theme.name, "theme", None, Some(&theme.role), Some(&theme.definition))?;
        for sub in &theme.sub_themes {
            add(sub, "sub-theme", Some(&theme.name), None, None)?;
        }
    }
    for relation in &plan.relation {
        for from in relation.from.list() {
            for to in relation.to.list() {
                step(&format!("thema relate \"{from}\" \"{to}\" --as {}", relation.label));
                let args = RelateArgs {
                    from: from.into(),
                    to: to.into(),
                    label: relation.label.clone(),
                    note: String::new(),
                    why: None,
                };
                super::codebook::relate(&study, coder.clone(), args)?;
            }
        }
    }
    for code in &plan.invivo {
        let occurrence = code.occurrence.map(|n| format!(" --occurrence {n}")).unwrap_or_default();
        step(&format!(
            "thema invivo {} --quote \"{}\"{occurrence} --parent \"{}\"",
            code.document, code.quote, code.parent
        ));
        let args = InvivoArgs {
            command: None,
            document: Some(code.document.clone()),
            quote: Some(code.quote.clone()),
            occurrence: code.occurrence,
            turn: None,
            parent: Some(code.parent.clone()),
            memo: String::new(),
            json: false,
        };
        super::code::invivo(&study, coder.clone(), args)?;
    }
    for e in &plan.exemplar {
        let document = study.load_document(&e.document)?;
        let at = thema_core::coding::find_quote(&document.text, &e.quote)
            .first()
            .map(|s| s.start)
            .with_context(|| format!("the example's exemplar “{}” is not in `{}`", e.quote, e.document))?;
        let turn = document
            .turns
            .iter()
            .find(|t| t.span.start <= at && at < t.span.end)
            .map(|t| document.turn_id(t.number))
            .with_context(|| format!("the example's exemplar “{}” is in no turn", e.quote))?;
        let passage = || Passage {
            doc: None,
            quote: None,
            occurrence: None,
            turn: Some(turn.clone()),
            span: None,
            memo: String::new(),
        };
        step(&format!("thema code \"{}\" --turn {turn}", e.code));
        super::code::code(&study, coder.clone(), CodeArgs { code: e.code.clone(), passage: passage(), json: false })?;
        step(&format!("thema exemplar \"{}\" --turn {turn}", e.code));
        let args = ExemplarArgs {
            code: Some(e.code.clone()),
            passage: passage(),
            remove: false,
            attribution: None,
            json: false,
        };
        super::publish::exemplar(&study, coder.clone(), &[], args)?;
    }
    Ok(())
}

/// Make sure `out` can take the demo: absent, empty, or an earlier demo (which is removed).
fn prepare_folder(out: &Path) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if out.join(MARKER).is_file() {
        std::fs::remove_dir_all(out).with_context(|| format!("removing the earlier demo in `{}`", out.display()))?;
        return Ok(());
    }
    let empty = std::fs::read_dir(out).map(|mut entries| entries.next().is_none()).unwrap_or(false);
    if !empty {
        let hint = format!("choose another folder with `--out`, or remove `{}`", out.display());
        return Err(with_hint(anyhow::anyhow!("`{}` exists and was not made by `thema demo`", out.display()), hint));
    }
    Ok(())
}
