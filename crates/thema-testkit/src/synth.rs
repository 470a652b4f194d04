//! Synthetic studies for tests and benchmarks: a generator of large studies ([`generate`], also
//! `cargo run --release -p thema-benches --bin generate -- DIR --turns N`), transcripts with many
//! speakers, survey files, and the meeting corpus beside the checkout.

use std::path::{Path, PathBuf};

use thema_core::{Document, DocumentMeta, Participant, Span, Speaker, Study, StudyError, Turn};

/// The meeting files of `../shared/corpora/meetings-ami-icsi` beside the checkout (AMI then
/// ICSI, sorted), or `None` with a `SKIP` message when it is missing.
pub fn meeting_files() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/meetings-ami-icsi");
    if !dir.is_dir() {
        crate::skip(format_args!("{} is missing; this needs shared/ beside the checkout", dir.display()));
        return None;
    }
    let mut files = Vec::new();
    for corpus in ["Product", "Academic"] {
        for entry in std::fs::read_dir(dir.join(corpus)).ok()? {
            files.push(entry.ok()?.path());
        }
    }
    files.sort();
    Some(files)
}

/// Deterministic pseudo-random numbers (xorshift64).
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// Words of the seed studies' domain; the generator draws them first (most frequent) and then
/// made-up words, with Zipf's law over ranks, as words of real speech are distributed.
const DOMAIN: &[&str] = &[
    "the",
    "i",
    "and",
    "to",
    "a",
    "you",
    "that",
    "it",
    "of",
    "was",
    "in",
    "they",
    "we",
    "just",
    "like",
    "so",
    "know",
    "people",
    "them",
    "have",
    "but",
    "me",
    "is",
    "be",
    "what",
    "would",
    "there",
    "help",
    "support",
    "hope",
    "peer",
    "mentor",
    "experience",
    "shared",
    "trust",
    "court",
    "housing",
    "release",
    "prison",
    "jail",
    "family",
    "services",
    "community",
    "probation",
    "friend",
    "honest",
    "shelter",
    "recovery",
    "addiction",
    "program",
    "work",
    "clients",
    "staff",
    "change",
    "life",
    "feel",
    "need",
    "want",
    "talk",
    "listen",
    "relationship",
    "understand",
    "plan",
    "appointment",
    "doctor",
    "treatment",
    "medication",
    "health",
    "money",
    "job",
    "school",
    "home",
    "safe",
    "time",
    "day",
    "week",
    "year",
    "really",
    "always",
    "never",
    "again",
    "back",
    "through",
    "together",
];

/// Phrases planted at known rates so that phrase queries have hits: (phrase, one turn in N).
pub const PLANTED: &[(&str, usize)] =
    &[("revolving door", 200), ("where they're at", 500), ("shared experience", 300), ("way out", 150)];

/// Size of the vocabulary: the domain words, then made-up ones (`wordNNNN`).
const VOCABULARY: usize = 20_000;

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Documents.
    pub documents: usize,
    /// Turns in each document.
    pub turns_per_document: usize,
    /// Seed.
    pub seed: u64,
    /// Codings each coder makes in each document (see [`generate`]).
    pub codings_per_document: usize,
    /// Coders.
    pub coders: usize,
}

/// The seed used unless one is given.
pub const SEED: u64 = 0x9e37_79b9_7f4a_7c15;

impl Plan {
    /// About `turns` turns in documents of 1,000 turns, not coded.
    pub fn turns(turns: usize) -> Plan {
        let per = 1_000.min(turns.max(1));
        Plan { documents: turns.div_ceil(per), turns_per_document: per, seed: SEED, codings_per_document: 0, coders: 0 }
    }
}

/// Themes of the generated codebook, with their roles; each has [`SUB_THEMES`] sub-themes of
/// [`CATEGORIES`] categories of [`CODES`] codes each.
const THEMES: [(&str, &str); 6] = [
    ("Relying on shared experience", "foundation"),
    ("Offering hope", "central"),
    ("Building respectful relationships", "central"),
    ("Providing consistent support", "central"),
    ("Meeting people where they are at", "central"),
    ("Bridging connections to services", "outcome"),
];
const SUB_THEMES: usize = 4;
const CATEGORIES: usize = 2;
const CODES: usize = 6;

/// The generated codebook, 366 entries in four levels: 6 themes with roles and the relations of a
/// foundation, four central themes and an outcome; 24 sub-themes; 48 categories; 288 codes (one
/// in four in vivo). Code ids are `t{theme}s{sub}c{code}`, categories `t{theme}s{sub}g{category}`.
pub fn codebook() -> thema_core::Codebook {
    use thema_core::{CodebookEntry, EntryKind, Relation};
    let mut cb = thema_core::Codebook::default();
    for (t, (name, role)) in THEMES.iter().enumerate() {
        let theme = format!("t{t}");
        cb.entries.push(CodebookEntry {
            id: theme.clone(),
            name: (*name).to_owned(),
            kind: EntryKind::Theme,
            role: Some((*role).to_owned()),
            definition: format!("Synthetic theme {} of the benchmark study.", t + 1),
            ..CodebookEntry::default()
        });
        for s in 0..SUB_THEMES {
            let sub = format!("t{t}s{s}");
            cb.entries.push(CodebookEntry {
                id: sub.clone(),
                name: format!("{name}: facet {}", s + 1),
                kind: EntryKind::SubTheme,
                parent: Some(theme.clone()),
                ..CodebookEntry::default()
            });
            for g in 0..CATEGORIES {
                let category = format!("{sub}g{g}");
                cb.entries.push(CodebookEntry {
                    id: category.clone(),
                    name: format!("{name}: facet {}, group {}", s + 1, g + 1),
                    kind: EntryKind::Category,
                    parent: Some(sub.clone()),
                    ..CodebookEntry::default()
                });
                for c in g * CODES..(g + 1) * CODES {
                    cb.entries.push(CodebookEntry {
                        id: format!("{sub}c{c}"),
                        name: format!("code {} of {name} {}", c + 1, s + 1),
                        kind: EntryKind::Code,
                        parent: Some(category.clone()),
                        in_vivo: c % 4 == 0,
                        ..CodebookEntry::default()
                    });
                }
            }
        }
    }
    for t in 1..5 {
        cb.relations.push(Relation {
            from: "t0".into(),
            to: format!("t{t}"),
            label: "foundation-of".into(),
            note: String::new(),
        });
        cb.relations.push(Relation {
            from: format!("t{t}"),
            to: "t5".into(),
            label: "leads-to".into(),
            note: String::new(),
        });
    }
    cb
}

/// All code ids of [`codebook`].
fn code_ids() -> Vec<String> {
    (0..THEMES.len())
        .flat_map(|t| (0..SUB_THEMES).flat_map(move |s| (0..CATEGORIES * CODES).map(move |c| format!("t{t}s{s}c{c}"))))
        .collect()
}

/// Roles, genders, age bands and sites of the generated participants (drawn in turn).
const ROLES: [&str; 3] = ["Peer Mentor", "Peer Mentor", "Program Staff"];
const GENDERS: [&str; 3] = ["female", "male", "non-binary"];
const AGES: [&str; 5] = ["18-24", "25-34", "35-44", "45-54", "55+"];
const SITES: usize = 8;

/// The generated participants: as many as documents (at least 20), ids `p00000`, pseudonyms
/// `P00000`, with a role, gender, age band and site.
fn participants(documents: usize) -> Vec<Participant> {
    (0..documents.max(20))
        .map(|i| Participant {
            id: format!("p{i:05}"),
            pseudonym: format!("P{i:05}"),
            role: ROLES[i % ROLES.len()].to_owned(),
            attributes: [
                ("gender".to_owned(), GENDERS[(i / 3) % GENDERS.len()].to_owned()),
                ("age".to_owned(), AGES[(i / 7) % AGES.len()].to_owned()),
                ("site".to_owned(), format!("site-{}", (i / 11) % SITES + 1)),
            ]
            .into(),
        })
        .collect()
}

/// Generate a study in `root` (which must not hold one): interviews (three in four documents) with
/// an interviewer and one participant, and focus groups with an interviewer and four; the
/// [`participants`]; turns of 8 to 60 words drawn by Zipf's law from a vocabulary of 20,000,
/// with [`PLANTED`] phrases; the [`codebook`]. With codings, each coder codes
/// `codings_per_document` participant turns of each document (codes drawn with Zipf weights, so
/// some codes are common and most are rare); the first coder picks turn and code, each other
/// coder codes the same turn 80% of the time (with the same code 80% of those times, starting up
/// to 10 code points later) and another turn otherwise: realistic overlap for agreement.
/// Returns the number of turns.
pub fn generate(root: &Path, plan: Plan) -> Result<usize, StudyError> {
    let mut rng = Rng(plan.seed);
    let mut study = Study::init(root, "synthetic")?;
    study.save_codebook(&codebook())?;
    let codes = code_ids();
    let mut code_weights = Vec::with_capacity(codes.len());
    let mut code_total = 0.0;
    for rank in 1..=codes.len() {
        code_total += 1.0 / rank as f64;
        code_weights.push(code_total);
    }
    let coders: Vec<String> = (0..plan.coders).map(|c| format!("coder{}", c + 1)).collect();
    let mut codings: Vec<Vec<thema_core::Coding>> = vec![Vec::new(); plan.coders];
    let people = participants(plan.documents);
    for participant in people.iter().cloned() {
        study.participants.add(participant).map_err(StudyError::Invalid)?;
    }
    study.save_participants()?;
    // Zipf: cumulative weights 1/rank.
    let mut cumulative = Vec::with_capacity(VOCABULARY);
    let mut total = 0.0;
    for rank in 1..=VOCABULARY {
        total += 1.0 / rank as f64;
        cumulative.push(total);
    }
    let word = |rng: &mut Rng| -> String {
        let x = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let rank = cumulative.partition_point(|&c| c < x).min(VOCABULARY - 1);
        DOMAIN.get(rank).map_or_else(|| format!("word{rank}"), |w| (*w).to_owned())
    };
    let mut turns_written = 0;
    let mut batch = Vec::new();
    for d in 0..plan.documents {
        let focus_group = d % 4 == 0;
        let speakers = if focus_group { 4 } else { 1 };
        // An interview is with participant `d`; a focus group brings four participants
        // together, some of whom are interviewed too.
        let mut labels = vec![Speaker { label: "Interviewer".into(), participant: None, interviewer: true }];
        for s in 0..speakers {
            let p = if focus_group { (d * 7 + s * 13) % people.len() } else { d % people.len() };
            labels.push(Speaker {
                label: people[p].pseudonym.clone(),
                participant: Some(people[p].id.clone()),
                interviewer: false,
            });
        }
        let mut text = String::new();
        let mut turns = Vec::with_capacity(plan.turns_per_document);
        let mut chars = 0;
        for t in 0..plan.turns_per_document {
            let speaker = if t % 2 == 0 { &labels[0] } else { &labels[1 + rng.below(speakers)] };
            let label = format!("{}: ", speaker.label);
            text.push_str(&label);
            chars += label.chars().count();
            let start = chars;
            let n = 8 + rng.below(53);
            let mut words: Vec<String> = (0..n).map(|_| word(&mut rng)).collect();
            for (phrase, every) in PLANTED {
                if rng.below(*every) == 0 {
                    let at = rng.below(words.len());
                    words.insert(at, (*phrase).to_owned());
                }
            }
            if let Some(first) = words.first_mut() {
                let mut c = first.chars();
                if let Some(head) = c.next() {
                    *first = head.to_uppercase().chain(c).collect();
                }
            }
            let speech = words.join(" ") + ".";
            chars += speech.chars().count();
            text.push_str(&speech);
            turns.push(Turn {
                number: u32::try_from(t + 1).unwrap_or(u32::MAX),
                speaker: Some(speaker.label.clone()),
                span: Span { start, end: chars },
                time_start: None,
                time_end: None,
            });
            text.push_str("\n\n");
            chars += 2;
        }
        turns_written += turns.len();
        let kind = if focus_group { "focus-group" } else { "interview" };
        let meta = DocumentMeta {
            title: format!("Synthetic {kind} {}", d + 1),
            wave: Some(1 + u32::from(d % 2 == 1)),
            sequence: u32::try_from(d + 1).unwrap_or(u32::MAX),
            speakers: labels,
            ..DocumentMeta::new(&format!("s{d:05}"), kind)
        };
        let document = Document { meta, text, turns };
        if plan.coders > 0 && document.turns.len() > 1 {
            let pick_code = |rng: &mut Rng| -> &str {
                let x = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * code_total;
                &codes[code_weights.partition_point(|&c| c < x).min(codes.len() - 1)]
            };
            let participant_turns: Vec<&Turn> = document.turns.iter().skip(1).step_by(2).collect();
            for _ in 0..plan.codings_per_document {
                let turn = participant_turns[rng.below(participant_turns.len())];
                let code = pick_code(&mut rng).to_owned();
                let time = "2026-01-01T00:00:00Z";
                for (c, coder) in coders.iter().enumerate() {
                    let (turn, code, shift) = if c == 0 {
                        (turn, code.clone(), 0)
                    } else if rng.below(10) < 8 {
                        let code = if rng.below(10) < 8 { code.clone() } else { pick_code(&mut rng).to_owned() };
                        (turn, code, rng.below(11))
                    } else {
                        (participant_turns[rng.below(participant_turns.len())], pick_code(&mut rng).to_owned(), 0)
                    };
                    let span = Span { start: (turn.span.start + shift).min(turn.span.end - 1), end: turn.span.end };
                    if let Ok(coding) = thema_core::Coding::new(&document, span, &code, coder, time) {
                        codings[c].push(coding);
                    }
                }
            }
        }
        batch.push(document);
        if batch.len() == 64 {
            study.add_documents(&batch)?;
            batch.clear();
        }
    }
    study.add_documents(&batch)?;
    for (coder, codings) in coders.iter().zip(&codings) {
        study.save_coder_codings(coder, codings)?;
    }
    Ok(turns_written)
}

/// A transcript with `speakers` distinct speakers besides the interviewer, each answering two
/// questions (`Speaker 17: ...`), as the text of a `.txt` file: the input of `thema import
/// --add-participants`, which makes a participant of each label. Turns have 8 to 20 words.
pub fn many_speakers_transcript(speakers: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut text = String::with_capacity(speakers * 240);
    for round in 0..2 {
        for s in 1..=speakers {
            text.push_str(if round == 0 {
                "Interviewer: What brought you here?\n\n"
            } else {
                "Interviewer: And now?\n\n"
            });
            text.push_str(&format!("Speaker {s}: "));
            let n = 8 + rng.below(13);
            push_words(&mut rng, &mut text, n);
            text.push_str("\n\n");
        }
    }
    text
}

/// A survey CSV with `respondents` rows: `id,age,site,answer`, ids `r00001`..., answers of 8 to 30
/// words with commas inside quotes; the input of a survey import, which makes a participant of
/// each respondent.
pub fn survey_csv(respondents: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut csv = String::with_capacity(respondents * 200);
    csv.push_str("id,age,site,answer\n");
    for r in 1..=respondents {
        csv.push_str(&format!("r{r:05},{},site{},\"", 18 + rng.below(70), 1 + rng.below(12)));
        let n = 8 + rng.below(23);
        push_words(&mut rng, &mut csv, n);
        csv.push_str("\"\n");
    }
    csv
}

/// `n` words of [`DOMAIN`], drawn uniformly, as a sentence.
fn push_words(rng: &mut Rng, out: &mut String, n: usize) {
    for i in 0..n {
        let word = DOMAIN[rng.below(DOMAIN.len())];
        if i == 0 {
            let mut c = word.chars();
            out.extend(c.next().map(|h| h.to_ascii_uppercase()));
            out.push_str(c.as_str());
        } else {
            out.push(if i % 7 == 0 { ',' } else { ' ' });
            if i % 7 == 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out.push('.');
}
