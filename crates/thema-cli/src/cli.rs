//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Qualitative thematic analysis of interview and focus-group transcripts.
///
/// A study is a folder of plain-text files that lives in git: documents (transcripts as speaker
/// turns), participants, a codebook and codings. Run `thema demo` to see one built from a
/// published study, or `thema init my-study` to start your own.
#[derive(Debug, Parser)]
#[command(name = "thema", version, about, long_about, max_term_width = 100)]
pub(crate) struct Cli {
    /// The study folder (default: the folder holding `thema.toml` at or above the current one).
    #[arg(long, short = 'C', global = true, env = "THEMA_STUDY", value_name = "DIR")]
    pub(crate) study: Option<PathBuf>,

    /// Who is coding (default: `default_coder` in `thema.toml`).
    #[arg(long, global = true, env = "THEMA_CODER", value_name = "CODER")]
    pub(crate) coder: Option<String>,

    /// Whose codings to count, list or export: coders separated by commas, pooled when several
    /// (default: `analysis_coders` in `thema.toml`, else the newest consensus set, else every
    /// primary coder; see `docs/coders.md`).
    #[arg(long, global = true, value_delimiter = ',', value_name = "CODERS")]
    pub(crate) coders: Vec<String>,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create a new, empty study.
    Init(InitArgs),
    /// Import transcripts (text, Markdown, WebVTT, SRT, SBV, DOCX, ODT, survey CSV, JSON).
    Import(ImportArgs),
    /// List the documents with their kind, wave, turns, speakers and words.
    #[command(alias = "list")]
    Ls(LsArgs),
    /// Print a transcript with turn ids and speakers.
    Show(ShowArgs),
    /// List the speaker labels of each document and the participant each stands for.
    Speakers(SpeakersArgs),
    /// Link a speaker label of a document to a participant (or mark it as the interviewer).
    Link(LinkArgs),
    /// List or add participants.
    #[command(subcommand)]
    Participants(ParticipantsCommand),
    /// Show the codebook as a tree with counts, or change it (add, rename, describe, move, merge,
    /// delete).
    Codebook(CodebookArgs),
    /// Relate two codebook entries: `thema relate shared-experience offering-hope --as foundation-of`.
    Relate(RelateArgs),
    /// Apply a code to a quote, a whole turn or a span of a document.
    Code(CodeArgs),
    /// Create an in-vivo code named by the participant's words and code those words.
    Invivo(InvivoArgs),
    /// Remove your coding with a code from a quote, a turn or a span: a coding that only
    /// overlaps it is shortened, or split in two around it.
    Uncode(CodeArgs),
    /// Revert the last command that changed the study (codings, codebook, participants,
    /// documents, memos), byte for byte; refused when its files were changed since.
    Undo,
    /// Apply again the command undone last.
    Redo,
    /// Read and code transcripts interactively in the terminal: turns with speakers, your
    /// codings as stripes, a code picker, in vivo, uncode, undo; `?` lists the keys.
    #[command(visible_alias = "wb")]
    Workbench(WorkbenchArgs),
    /// List the recent commands that changed the study, newest first, with the files each
    /// changed; the last 50 can be undone.
    History(HistoryArgs),
    /// Write a coding sheet: the transcript with your codings as `[[code]]...[[/code]]` markup,
    /// to edit in any text editor and read back with `thema apply`.
    Sheet(SheetArgs),
    /// Read an edited coding sheet back: add and remove codings to match its markup.
    Apply(ApplyArgs),
    /// Print every segment coded with a code or anything under a category or theme.
    Segments(SegmentsArgs),
    /// Write, list and read memos attached to the study, a document, a turn or a code.
    #[command(subcommand)]
    Memo(MemoCommand),
    /// List the coders and how many codings each has.
    Coders(JsonArgs),
    /// Merge two coders' codings into a consensus set and list the conflicts it resolved.
    MergeCoders(MergeCodersArgs),
    /// Print the decision log: every change to the codebook, who made it, when and why.
    Log(JsonArgs),
    /// Search the turns: tantivy query syntax, filters by document, speaker, attribute and code;
    /// `--autocode CODE` codes every hit.
    Search(SearchArgs),
    /// Keyword in context: every occurrence of a word or phrase, aligned, with its turn.
    Kwic(KwicArgs),
    /// Turns not yet coded with a code that are most like the segments coded with it.
    Similar(SimilarArgs),
    /// Word and phrase frequencies, overall or by group; `--compare` for each group's key words.
    Words(WordsArgs),
    /// Intercoder agreement: on the study's codings (per code and overall, by turn, sentence or
    /// span), or on a ratings file (`--data`) or a file of marked units (`--units`).
    Agree(AgreeArgs),
    /// Thematic saturation (Guest, Namey & Chen 2020): codes first seen in each document, base
    /// size, run length and new-information threshold; the curve as SVG with `--chart`.
    Saturation(SaturationArgs),
    /// Code co-occurrence: counts and coefficients for each pair of codes, a heatmap, a network.
    Cooccur(CooccurArgs),
    /// Longitudinal studies: who took part in which wave, retention between waves with the
    /// reasons recorded for leaving, and the participants table of each wave.
    Waves(WavesArgs),
    /// Longitudinal studies: each participant's codes or themes in each wave, each code's
    /// participants who gained, kept or lost it between waves, a presence chart, and the
    /// framework matrix of each wave.
    Trajectories(TrajectoriesArgs),
    /// Code matrices: entries by document, participant or attribute (segments, presence or
    /// words), or the framework matrix (participants by theme, with their segments).
    Matrix(MatrixArgs),
    /// Mark a coded segment as an exemplar quote of its code (for the theme table), unmark it,
    /// or list the exemplars.
    Exemplar(ExemplarArgs),
    /// Write the codebook, the theme table, the participants table, the coded segments or the
    /// codings: Markdown, CSV, XLSX, LaTeX, DOCX (and Parquet for segments and codings); or the
    /// codebook (`qdc`) or whole study (`qdpx`) for NVivo, ATLAS.ti, MAXQDA and QualCoder.
    Export(ExportArgs),
    /// Replace identifiers in every document: names, places and organisations from a key kept
    /// outside the study, and e-mail addresses, phone numbers, URLs, postal codes, addresses and
    /// dates of birth by tags; codings follow the new text.
    Deidentify(DeidentifyArgs),
    /// Look for identifiers in every file of the study and in exports (Markdown, CSV, XLSX,
    /// DOCX, HTML, SVG, QDC, QDPX, Parquet): the originals of a key, and what the detectors
    /// find; exits 1 naming file and line for each.
    Audit(AuditArgs),
    /// Read a REFI-QDA codebook (`.qdc`, from NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette) into
    /// the study's codebook: entries that match by GUID or name are kept, the others added.
    ImportCodebook(ImportCodebookArgs),
    /// Make a new study from a REFI-QDA project (`.qdpx`): documents, codebook, codings,
    /// participants, memos and relations.
    ImportProject(ImportProjectArgs),
    /// Draw the theme map: themes, their sub-themes (and with `--codes` their codes), roles and
    /// relations, as SVG laid out by thema, or as DOT or Mermaid to restyle.
    Map(MapArgs),
    /// Write the team report: one self-contained HTML file with the overview, participants,
    /// theme map, theme table, codebook, co-occurrence, saturation, waves (a study with more
    /// than one) and agreement.
    Report(ReportArgs),
    /// Team review: write one self-contained page on which reviewers click through the theme
    /// map, codebook and quotes and leave comments; bring their comments back as memos.
    Review(ReviewArgs),
    /// Validate the whole study: every problem with its file, line and fix.
    Check(CheckArgs),
    /// Build the bundled example study (Palis et al. 2024) and run every step on it.
    Demo(DemoArgs),
    /// Print the script that makes your shell complete thema's commands, flags and the study's
    /// own names (codes, documents, turns, coders, `--where` keys and values) on Tab.
    Completions(CompletionsArgs),
    /// Write man pages for thema and each subcommand (`thema.1`, `thema-code.1`, ...).
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Folder to create the study in (default: the current folder).
    pub(crate) dir: Option<PathBuf>,
    /// Name of the study (default: the folder name).
    #[arg(long)]
    pub(crate) name: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// Files to import.
    #[arg(required = true, value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,
    /// Read the files as this format instead of recognising it: text, markdown, vtt, srt, sbv,
    /// docx, odt, pdf, csv, json.
    #[arg(long, value_name = "FORMAT")]
    pub(crate) format: Option<String>,
    /// Character encoding of text files that are not UTF-8 (e.g. `windows-1252`, `latin1`).
    #[arg(long)]
    pub(crate) encoding: Option<String>,
    /// Clean up a text or Markdown export of another program: remove paragraph numbers (MAXQDA),
    /// page numbers, headers and footers, join words hyphenated at a line end and lines wrapped
    /// inside a paragraph. Always done for PDF. The report says what was removed.
    #[arg(long)]
    pub(crate) clean: bool,
    /// Kind of document: interview, focus-group, survey, fieldnotes, ... (default: guessed from
    /// the format and the number of speakers).
    #[arg(long)]
    pub(crate) kind: Option<String>,
    /// Date of the session, YYYY-MM-DD.
    #[arg(long)]
    pub(crate) date: Option<String>,
    /// Wave of a longitudinal study (1 for the first round of interviews, 2 for the second...).
    #[arg(long)]
    pub(crate) wave: Option<u32>,
    /// Title of the document (default: the file name); only with a single file.
    #[arg(long)]
    pub(crate) title: Option<String>,
    /// Id of the document (default: made from the file name); only with a single file.
    #[arg(long)]
    pub(crate) id: Option<String>,
    /// Only these speaker labels count as speakers (comma-separated); other `Word:` lines are
    /// read as speech.
    #[arg(long, value_delimiter = ',', value_name = "LABELS")]
    pub(crate) speakers: Option<Vec<String>>,
    /// Create a participant for each speaker label that matches nobody in `participants.csv`.
    #[arg(long)]
    pub(crate) add_participants: bool,
    /// Role of participants created by this import (default: `Participant`, or `Respondent` for
    /// surveys).
    #[arg(long)]
    pub(crate) role: Option<String>,
    /// CSV: the column holding the answers (default: the column with the longest texts).
    #[arg(long, value_name = "COLUMN")]
    pub(crate) text_column: Option<String>,
    /// CSV: the column identifying respondents (default: the first column if its values are
    /// unique, else the row number).
    #[arg(long, value_name = "COLUMN")]
    pub(crate) id_column: Option<String>,
    /// Replace documents that already exist with the same id.
    #[arg(long)]
    pub(crate) replace: bool,
    /// Skip files whose document id is taken, even by a document imported from other bytes (a
    /// file imported before from the same bytes is always skipped as unchanged).
    #[arg(long, conflicts_with = "replace")]
    pub(crate) skip_existing: bool,
    /// Print the import reports as JSON.
    #[arg(long)]
    pub(crate) json: bool,
    /// List every unattributed line and warning, not a count and the first few.
    #[arg(long)]
    pub(crate) verbose: bool,
    /// This speaker label is the interviewer (moderator, facilitator) in every file imported;
    /// repeat for several. Labels such as `Interviewer` and `I` are recognised without it.
    #[arg(long = "interviewer", value_name = "LABEL")]
    pub(crate) interviewers: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct LsArgs {
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// Document id.
    pub(crate) document: String,
    /// Only these turns: `17`, `10..20` (inclusive), `10..`, `..5`.
    #[arg(long, value_name = "RANGE")]
    pub(crate) turns: Option<String>,
    /// Wrap at this many columns (default: the terminal's width, or 100); 0: do not wrap.
    #[arg(long)]
    pub(crate) width: Option<usize>,
    /// Do not wrap: each paragraph of a turn on one line (as `--width 0`).
    #[arg(long)]
    pub(crate) no_wrap: bool,
    /// Print each turn's span in code points (`120..180`), for `--span D:A..B`.
    #[arg(long)]
    pub(crate) spans: bool,
    /// Print your codes (`--coder`) in a margin beside each turn.
    #[arg(long)]
    pub(crate) codes: bool,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct SpeakersArgs {
    /// Only this document.
    pub(crate) document: Option<String>,
    /// Only labels not linked to a participant (and not interviewers).
    #[arg(long)]
    pub(crate) unlinked: bool,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct LinkArgs {
    /// `DOC LABEL PARTICIPANT`: the document, the speaker label as it appears there, and the
    /// participant id (from `participants.csv`); with `--all`, `LABEL PARTICIPANT`; with
    /// `--interviewer` or `--unlink`, no participant.
    #[arg(required = true, num_args = 1..=3, value_name = "DOC LABEL PARTICIPANT")]
    pub(crate) words: Vec<String>,
    /// Link the label in every document where it occurs (give no document).
    #[arg(long)]
    pub(crate) all: bool,
    /// Mark the label as the interviewer, moderator or facilitator.
    #[arg(long, conflicts_with = "unlink")]
    pub(crate) interviewer: bool,
    /// Remove the link.
    #[arg(long)]
    pub(crate) unlink: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ParticipantsCommand {
    /// List participants with the documents each speaks in.
    #[command(alias = "ls")]
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add a participant.
    Add {
        /// Participant id (letters, digits, `-`, `_`, `.`).
        id: String,
        /// Pseudonym used in quotes and tables.
        #[arg(long)]
        pseudonym: String,
        /// Role in the study.
        #[arg(long, default_value = "Participant")]
        role: String,
        /// Attributes, `name=value` (repeatable).
        #[arg(long = "set", value_name = "NAME=VALUE")]
        attributes: Vec<String>,
    },
    /// Change a participant's pseudonym, role or attributes: `thema participants set P07
    /// left-after=1 reason="moved away"` (an empty value removes an attribute).
    Set {
        /// Participant id.
        id: String,
        /// `name=value` (repeatable).
        #[arg(value_name = "NAME=VALUE", required = true)]
        values: Vec<String>,
    },
    /// The participants table of a paper: each person in the selected documents once, counts and
    /// percentages for categories, mean ± SD for numbers.
    Table {
        /// Only people in this document (repeat for several).
        #[arg(long = "doc", value_name = "DOC")]
        documents: Vec<String>,
        /// Only people in documents of this kind.
        #[arg(long = "kind", value_name = "KIND")]
        kinds: Vec<String>,
        /// Add the median and range of numbers.
        #[arg(long)]
        median: bool,
        /// Print a Markdown table.
        #[arg(long)]
        markdown: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
    /// Finish an interrupted change, remove what interrupted writes left behind, and join
    /// codings of one coder and code that overlap or touch into one coding each (logged in the
    /// decision log); then check.
    #[arg(long, conflicts_with = "discard_interrupted")]
    pub(crate) fix: bool,
    /// Drop an interrupted change that cannot be finished (files it would replace changed
    /// since): the study files stay as they are now. Then check.
    #[arg(long)]
    pub(crate) discard_interrupted: bool,
}

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Folder for the example study (default: `thema-demo`); replaced if it holds an earlier demo.
    #[arg(long, default_value = "thema-demo")]
    pub(crate) out: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell: `bash`, `zsh`, `fish`, `powershell` or `elvish`.
    pub(crate) shell: String,
}

#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// The folder to write the pages to (created if missing).
    #[arg(long, short, default_value = "man")]
    pub(crate) out: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct JsonArgs {
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CodebookArgs {
    #[command(subcommand)]
    pub(crate) command: Option<CodebookCommand>,
    /// Print JSON (the tree).
    #[arg(long)]
    pub(crate) json: bool,
}

/// The parts of a published codebook entry.
#[derive(Debug, Args, Default)]
pub(crate) struct Description {
    /// What the entry means.
    #[arg(long)]
    pub(crate) definition: Option<String>,
    /// When to apply it.
    #[arg(long)]
    pub(crate) when_to_use: Option<String>,
    /// When not to apply it.
    #[arg(long)]
    pub(crate) when_not_to_use: Option<String>,
    /// An example segment.
    #[arg(long)]
    pub(crate) example: Option<String>,
    /// Colour, `#rrggbb`.
    #[arg(long)]
    pub(crate) colour: Option<String>,
    /// Role of a theme: `central`, `foundation`, `outcome`, or your own word.
    #[arg(long)]
    pub(crate) role: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CodebookCommand {
    /// Add a code, category, sub-theme or theme.
    Add {
        /// Name.
        name: String,
        /// code, category, sub-theme or theme.
        #[arg(long, default_value = "code")]
        kind: String,
        /// Parent entry (id or name).
        #[arg(long)]
        parent: Option<String>,
        /// Id (default: made from the name).
        #[arg(long)]
        id: Option<String>,
        /// Mark as in-vivo (named in the participant's words).
        #[arg(long)]
        in_vivo: bool,
        #[command(flatten)]
        description: Description,
        /// Why, for the decision log.
        #[arg(long)]
        why: Option<String>,
    },
    /// Rename an entry (its id stays).
    Rename {
        /// Entry (id or name).
        entry: String,
        /// New name.
        name: String,
        /// Why, for the decision log.
        #[arg(long)]
        why: Option<String>,
    },
    /// Change an entry's definition, when to use, when not to use, example, colour, role or kind.
    Describe {
        /// Entry (id or name).
        entry: String,
        #[command(flatten)]
        description: Description,
        /// Another kind: code, category, sub-theme or theme (a code that has grown into a
        /// sub-theme, say); its codings, children and place stay.
        #[arg(long)]
        kind: Option<String>,
        /// Why, for the decision log.
        #[arg(long)]
        why: Option<String>,
    },
    /// Move an entry under another parent (or to the top level), or before or after another
    /// entry: the order the codebook tree, exports and the theme table list entries in.
    #[command(group(clap::ArgGroup::new("place").required(true).args(["to", "top", "before", "after"])))]
    Move {
        /// Entry (id or name).
        entry: String,
        /// New parent (id or name); `--parent` works too. The entry goes after its new siblings.
        #[arg(long, visible_alias = "parent")]
        to: Option<String>,
        /// Move to the top level.
        #[arg(long, conflicts_with = "to")]
        top: bool,
        /// Put the entry just before this one (id or name), under the same parent as it.
        #[arg(long, conflicts_with_all = ["to", "top", "after"])]
        before: Option<String>,
        /// Put the entry just after this one (id or name), under the same parent as it.
        #[arg(long, conflicts_with_all = ["to", "top"])]
        after: Option<String>,
        /// Why, for the decision log.
        #[arg(long)]
        why: Option<String>,
    },
    /// Merge an entry into another: its codings, children and relations move to the survivor.
    Merge {
        /// Entry to merge away (id or name).
        entry: String,
        /// Entry that stays (id or name).
        #[arg(long)]
        into: String,
        /// Why, for the decision log.
        #[arg(long)]
        why: Option<String>,
    },
    /// Compare two versions of the codebook in words: added, removed, renamed, merged, moved...
    Diff {
        /// The older version: a git revision (`HEAD~3`, a tag) or a codebook file.
        old: String,
        /// The newer version (default: the codebook as it is now).
        new: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Delete an entry; refused while it has children or codings use it, unless `--force`.
    Delete {
        /// Entry (id or name).
        entry: String,
        /// Delete it even when it has children (they move up to its parent) or codings (they
        /// are deleted too).
        #[arg(long, alias = "with-codings")]
        force: bool,
        /// Why, for the decision log.
        #[arg(long)]
        why: Option<String>,
    },
    /// Create a whole hierarchy from a list of paths, one a line (`Theme > Sub-theme > code`;
    /// also `::`, `\` and `/` as ATLAS.ti, MAXQDA and NVivo export them), or from a CSV file
    /// with a `path` column and optional `definition`, `colour` and `kind` columns.
    Import {
        /// The list (`.csv` is read as CSV, anything else as one path a line).
        file: PathBuf,
        /// Show the tree that would be made, and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Why, for the decision log.
        #[arg(long)]
        why: Option<String>,
    },
}

#[derive(Debug, Args)]
pub(crate) struct RelateArgs {
    /// From entry (id or name).
    pub(crate) from: String,
    /// To entry (id or name).
    pub(crate) to: String,
    /// The relation: `foundation-of`, `leads-to`, `part-of`, `contrasts-with`, or your own.
    #[arg(long = "as", value_name = "LABEL")]
    pub(crate) label: String,
    /// A note on the relation.
    #[arg(long, default_value = "")]
    pub(crate) note: String,
    /// Why, for the decision log.
    #[arg(long)]
    pub(crate) why: Option<String>,
}

/// Where a passage is: a quote in a document, a turn, or a span.
#[derive(Debug, Args)]
pub(crate) struct Passage {
    /// Document id (with `--quote`).
    #[arg(long)]
    pub(crate) doc: Option<String>,
    /// The words to code, as the text has them (line breaks, spaces, typographic quotes and
    /// dashes may differ: copied from `thema show` is fine).
    #[arg(long)]
    pub(crate) quote: Option<String>,
    /// Which occurrence of an ambiguous quote (1 = first).
    #[arg(long)]
    pub(crate) occurrence: Option<usize>,
    /// A turn id like `fg1:T17`: the whole turn, or where to look for `--quote`.
    #[arg(long)]
    pub(crate) turn: Option<String>,
    /// A span like `fg1:120..180` (code points).
    #[arg(long)]
    pub(crate) span: Option<String>,
    /// A note on this coding.
    #[arg(long, default_value = "")]
    pub(crate) memo: String,
}

#[derive(Debug, Args)]
pub(crate) struct HistoryArgs {
    /// How many commands to list.
    #[arg(long, default_value_t = 10)]
    pub(crate) limit: usize,
    /// Forget the whole history (nothing can be undone or redone afterwards); the history keeps
    /// copies of the files each command replaced, transcripts included.
    #[arg(long)]
    pub(crate) clear: bool,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CodeArgs {
    /// Code (id or name).
    pub(crate) code: String,
    #[command(flatten)]
    pub(crate) passage: Passage,
    /// When the quote occurs more than once, print every occurrence as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub(crate) struct InvivoArgs {
    #[command(subcommand)]
    pub(crate) command: Option<InvivoCommand>,
    /// Document id.
    #[arg(required = true)]
    pub(crate) document: Option<String>,
    /// The participant's words, which name the code.
    #[arg(long, required = true)]
    pub(crate) quote: Option<String>,
    /// Which occurrence of an ambiguous quote (1 = first).
    #[arg(long)]
    pub(crate) occurrence: Option<usize>,
    /// Look for the quote in this turn (`fg1:T17`).
    #[arg(long)]
    pub(crate) turn: Option<String>,
    /// Parent of the new code (id or name).
    #[arg(long)]
    pub(crate) parent: Option<String>,
    /// A note on this coding.
    #[arg(long, default_value = "")]
    pub(crate) memo: String,
    /// When the quote occurs more than once, print every occurrence as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum InvivoCommand {
    /// Suggest in-vivo phrases (2 to 6 words) that several participants use or that are
    /// distinctive for one document (log-likelihood keyness).
    Suggest {
        /// Only phrases used at least this often.
        #[arg(long, default_value_t = 2)]
        min_count: usize,
        /// How many to list.
        #[arg(long, default_value_t = 25)]
        limit: usize,
        /// Only in this document (repeat for several).
        #[arg(long = "doc", value_name = "DOC")]
        documents: Vec<String>,
        /// Only speech that meets a condition on the speaker or the document: `role="Peer
        /// Mentor"`, `wave=2`, `wave!=1` (repeat for several; all must hold).
        #[arg(long = "where", value_name = "KEY=VALUE")]
        wheres: Vec<String>,
        /// Only documents of this wave (repeat for several: any of them).
        #[arg(long = "wave", value_name = "N")]
        waves: Vec<u32>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Filters shared by `search` and `kwic`.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct SearchFilters {
    /// Only in this document (repeat for several).
    #[arg(long = "doc", value_name = "DOC")]
    pub(crate) documents: Vec<String>,
    /// Only in documents of this kind (`focus-group`, `interview`, ...).
    #[arg(long = "kind", value_name = "KIND")]
    pub(crate) kinds: Vec<String>,
    /// Only in this wave.
    #[arg(long = "wave", value_name = "N")]
    pub(crate) waves: Vec<u32>,
    /// Only turns of this speaker label.
    #[arg(long = "speaker", value_name = "LABEL")]
    pub(crate) speakers: Vec<String>,
    /// Only turns whose speaker (or document) has this attribute: `role="Peer Mentor"`,
    /// `gender!=female`, `pseudonym=Simon`, `participant=p01`.
    #[arg(long = "where", value_name = "KEY=VALUE")]
    pub(crate) wheres: Vec<String>,
    /// Only turns coded with this code or anything under it.
    #[arg(long = "code", value_name = "CODE")]
    pub(crate) codes: Vec<String>,
    /// Only turns not coded with this code or anything under it.
    #[arg(long = "not-code", value_name = "CODE")]
    pub(crate) not_codes: Vec<String>,
    /// Only turns nobody has coded (with `--by-coder`, that coder has not).
    #[arg(long)]
    pub(crate) uncoded: bool,
    /// Read `--code`, `--not-code` and `--uncoded` for this coder's codings only.
    #[arg(long, value_name = "CODER")]
    pub(crate) by_coder: Option<String>,
    /// Match words as written (default: English stemming, so "court" also finds "courts").
    #[arg(long)]
    pub(crate) exact: bool,
    /// Let each word be up to N edits away (1 or 2).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=2))]
    pub(crate) fuzzy: Option<u8>,
}

#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// tantivy query syntax: words, "a phrase", AND / OR / NOT, -word, prefix*, field:value.
    pub(crate) query: String,
    #[command(flatten)]
    pub(crate) filters: SearchFilters,
    /// `rank` (best first) or `document` (in the order of the transcripts).
    #[arg(long, default_value = "rank", value_parser = ["rank", "document"])]
    pub(crate) order: String,
    /// Show at most this many hits.
    #[arg(long, default_value_t = 20)]
    pub(crate) limit: usize,
    /// Count hits per `document`, `participant`, or participant attribute (`role`, `gender`...).
    #[arg(long, value_name = "BY")]
    pub(crate) count: Option<String>,
    /// Code every hit with this code (auto-coding); what is already coded with it is skipped.
    #[arg(long, value_name = "CODE")]
    pub(crate) autocode: Option<String>,
    /// With `--autocode`: code the matched words (`hit`) or the whole turn (`turn`).
    #[arg(long, default_value = "hit", value_parser = ["hit", "turn"], requires = "autocode")]
    pub(crate) unit: String,
    /// With `--autocode`: show what would be coded, change nothing.
    #[arg(long, requires = "autocode")]
    pub(crate) dry_run: bool,
    /// Wrap at this many columns.
    #[arg(long)]
    pub(crate) width: Option<usize>,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct KwicArgs {
    /// A word, a phrase, or any query (`"revolving door"`, `court*`).
    pub(crate) term: String,
    #[command(flatten)]
    pub(crate) filters: SearchFilters,
    /// Characters of context on each side.
    #[arg(long, default_value_t = 40)]
    pub(crate) context: usize,
    /// Show at most this many lines.
    #[arg(long, default_value_t = 1000)]
    pub(crate) limit: usize,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct SimilarArgs {
    /// The code whose segments to match (with everything under it).
    #[arg(long)]
    pub(crate) code: String,
    /// Only in this document (repeat for several).
    #[arg(long = "doc", value_name = "DOC")]
    pub(crate) documents: Vec<String>,
    /// Only in documents of this kind.
    #[arg(long = "kind", value_name = "KIND")]
    pub(crate) kinds: Vec<String>,
    /// Only turns of this speaker label.
    #[arg(long = "speaker", value_name = "LABEL")]
    pub(crate) speakers: Vec<String>,
    /// Only turns whose speaker has this attribute: `role="Peer Mentor"`.
    #[arg(long = "where", value_name = "KEY=VALUE")]
    pub(crate) wheres: Vec<String>,
    /// Only documents of this wave (repeat for several: any of them).
    #[arg(long = "wave", value_name = "N")]
    pub(crate) waves: Vec<u32>,
    /// Use this coder's segments only, and show turns this coder has not coded with the code.
    #[arg(long, value_name = "CODER")]
    pub(crate) by_coder: Option<String>,
    /// How many of the segments' most distinctive words to look for.
    #[arg(long, default_value_t = 25)]
    pub(crate) terms: usize,
    /// Show at most this many turns.
    #[arg(long, default_value_t = 10)]
    pub(crate) limit: usize,
    /// Wrap at this many columns.
    #[arg(long)]
    pub(crate) width: Option<usize>,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct WordsArgs {
    /// Count separately for each `document`, `kind`, `wave`, `participant`, `role`, or
    /// participant attribute.
    #[arg(long, value_name = "GROUP", conflicts_with = "compare")]
    pub(crate) by: Option<String>,
    /// Key words of each group against the rest (log-likelihood G² and Log Ratio).
    #[arg(long, value_name = "GROUP")]
    pub(crate) compare: Option<String>,
    /// Count stems together ("court", "courts"), shown by their commonest form.
    #[arg(long)]
    pub(crate) stem: bool,
    /// Phrases of this many words (2 to 4) instead of single words.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub(crate) ngram: u8,
    /// Count interviewers' speech too.
    #[arg(long)]
    pub(crate) interviewers: bool,
    /// With `--compare`: only items used at least this often in the group.
    #[arg(long, default_value_t = 3)]
    pub(crate) min_count: usize,
    /// Items to list (a group).
    #[arg(long, default_value_t = 20)]
    pub(crate) limit: usize,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct AgreeArgs {
    /// Coders to compare (default: every coder of the study).
    pub(crate) coders: Vec<String>,
    /// Print every note, not a count and the first few of a note that repeats.
    #[arg(long)]
    pub(crate) verbose: bool,
    /// Unit of comparison on the study: `turn`, `sentence`, or `span` (unitized alpha on the
    /// code points).
    #[arg(long, default_value = "turn")]
    pub(crate) unit: thema_analysis::study_agreement::Unit,
    /// Only this code (and everything under it); repeat for several.
    #[arg(long = "code", value_name = "CODE")]
    pub(crate) codes: Vec<String>,
    /// Only the documents of this wave (repeat for several): agreement per wave.
    #[arg(long = "wave", value_name = "N")]
    pub(crate) waves: Vec<u32>,
    /// Reliability data instead of the study: CSV, a header of coder names (an optional first
    /// column `unit`), one row a unit, an empty cell a missing rating. Coders named after it
    /// (`--data FILE c1 c3`) pick those columns.
    #[arg(long, value_name = "CSV", conflicts_with = "units")]
    pub(crate) data: Option<std::path::PathBuf>,
    /// The `--data` file is a subject-by-category table: a header of categories, one row a
    /// unit, each cell the number of raters who chose that category (Fleiss 1971).
    #[arg(long, requires = "data")]
    pub(crate) counts: bool,
    /// The categories of the scale, comma-separated, when some went unused (they count for
    /// Bennett's S, Randolph's kappa, Brennan-Prediger and Gwet's AC1); text categories keep
    /// this order.
    #[arg(long, value_delimiter = ',', requires = "data")]
    pub(crate) categories: Vec<String>,
    /// Agreement weights for `--metric cohen-kappa` and `gwet-ac2`: `linear`, `quadratic`,
    /// `ordinal`, or a CSV file (a header of categories, then one row a category: its label and
    /// its weights from 0 to 1).
    #[arg(long, value_name = "WEIGHTS", requires = "data")]
    pub(crate) weights: Option<String>,
    /// The model of `--metric icc`: `oneway`, `twoway-agreement` or `twoway-consistency`.
    #[arg(long, default_value = "twoway-agreement")]
    pub(crate) model: thema_analysis::agreement::IccModel,
    /// The measure of `--metric icc`: `single` (one coder's rating) or `average` (the coders'
    /// mean).
    #[arg(long, default_value = "single")]
    pub(crate) measure: thema_analysis::agreement::IccMeasure,
    /// `--metric kendall-w` without the correction for ties.
    #[arg(long)]
    pub(crate) no_tie_correction: bool,
    /// Alpha of one category against all others (`--metric alpha` on `--data`, or
    /// `unitized-alpha` on `--units`, with its observed and expected disagreement).
    #[arg(long, value_name = "CATEGORY")]
    pub(crate) category: Option<String>,
    /// Units marked on one continuum instead of the study: CSV with columns coder, begin, end,
    /// category (needs `--length`).
    #[arg(long, value_name = "CSV")]
    pub(crate) units: Option<std::path::PathBuf>,
    /// Length of the continuum of `--units`.
    #[arg(long)]
    pub(crate) length: Option<u64>,
    /// Where the continuum of `--units` begins.
    #[arg(long, default_value_t = 0)]
    pub(crate) begin: u64,
    /// `all`, `alpha`, `percent`, `cohen-kappa`, `fleiss-kappa`, `conger-kappa`, `gwet-ac1`,
    /// `brennan-prediger` (`unitized-alpha` with `--units`); by name only: `scott-pi`, `holsti`,
    /// `bennett-s`, `randolph-kappa`, `light-kappa`, `hubert-kappa`, `bangdiwala-b`, `gwet-ac2`,
    /// `icc`, `kendall-w`.
    #[arg(long, default_value = "all")]
    pub(crate) metric: String,
    /// Level of measurement for alpha on `--data`: nominal, ordinal, interval, ratio.
    #[arg(long, default_value = "nominal")]
    pub(crate) level: thema_analysis::agreement::Level,
    /// Bootstrap resamples for alpha's confidence interval (0: none).
    #[arg(long, default_value_t = 1000)]
    pub(crate) bootstrap: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// How many disagreements to list.
    #[arg(long, default_value_t = 20)]
    pub(crate) show: usize,
    /// Print JSON (full precision).
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct SaturationArgs {
    /// Order of the documents: `import`, `date` (then import order), or the ids, comma-separated
    /// (default: `[saturation]` in `thema.toml`, else `import`).
    #[arg(long)]
    pub(crate) order: Option<String>,
    /// Documents in the base (default: `[saturation]` in `thema.toml`, else 4).
    #[arg(long)]
    pub(crate) base: Option<usize>,
    /// Documents in a run (default: `[saturation]` in `thema.toml`, else 2).
    #[arg(long)]
    pub(crate) run: Option<usize>,
    /// New information at or below which saturation is reached: `5%`, `0.05`, `0` (default:
    /// `[saturation]` in `thema.toml`, else 5%).
    #[arg(long)]
    pub(crate) threshold: Option<String>,
    /// Only documents of this kind (`interview`).
    #[arg(long = "kind", value_name = "KIND")]
    pub(crate) kinds: Vec<String>,
    /// Only documents of this wave (repeat for several: any of them).
    #[arg(long = "wave", value_name = "N")]
    pub(crate) waves: Vec<u32>,
    /// `wave`: assess each wave on its own (does the follow-up still bring new codes?).
    #[arg(long, value_name = "GROUP", value_parser = ["wave"])]
    pub(crate) by: Option<String>,
    /// Only this coder's codings.
    #[arg(long = "by-coder", value_name = "CODER")]
    pub(crate) by_coder: Option<String>,
    /// Write the curve as SVG to this file.
    #[arg(long, value_name = "FILE")]
    pub(crate) chart: Option<std::path::PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CooccurArgs {
    /// When two codes co-occur: `overlap`, `turn`, `turns:N`, `chars:N`.
    #[arg(long, default_value = "turn")]
    pub(crate) within: thema_analysis::cooccur::Within,
    /// Count each code as its nearest ancestor of this kind (`theme`, `sub-theme`, `category`);
    /// a code with no ancestor of the kind is left out, as in `matrix --rows`.
    #[arg(long, value_name = "KIND")]
    pub(crate) roll_up: Option<String>,
    /// Only these codes (and what is under them); repeat.
    #[arg(long = "code", value_name = "CODE")]
    pub(crate) codes: Vec<String>,
    /// Only turns where the speaker or document meets this condition (`role=Peer Mentor`,
    /// `wave=2`, `kind!=survey`); repeat.
    #[arg(long = "where", value_name = "KEY=VALUE")]
    pub(crate) wheres: Vec<String>,
    /// Only documents of this wave (repeat for several: any of them).
    #[arg(long = "wave", value_name = "N")]
    pub(crate) waves: Vec<u32>,
    /// One table for each document instead of pooled.
    #[arg(long)]
    pub(crate) per_document: bool,
    /// Coefficient to sort by and draw: c, dice, ochiai, phi, lift, pmi.
    #[arg(long, default_value = "c")]
    pub(crate) coefficient: thema_analysis::study_cooccurrence::Coefficient,
    /// Only pairs that co-occur at least this often.
    #[arg(long, default_value_t = 1)]
    pub(crate) min: usize,
    /// Write a heatmap (SVG) of the coefficient.
    #[arg(long, value_name = "FILE")]
    pub(crate) heatmap: Option<std::path::PathBuf>,
    /// Order the heatmap by hierarchical clustering (average linkage).
    #[arg(long)]
    pub(crate) cluster: bool,
    /// Write the network as GraphML (Gephi, yEd, Cytoscape).
    #[arg(long, value_name = "FILE")]
    pub(crate) graphml: Option<std::path::PathBuf>,
    /// Write the network as Graphviz DOT.
    #[arg(long, value_name = "FILE")]
    pub(crate) dot: Option<std::path::PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct MatrixArgs {
    /// Rows: `code`, or entries of this kind with what is under them (`category`, `sub-theme`,
    /// `theme`).
    #[arg(long, default_value = "code")]
    pub(crate) rows: String,
    /// Columns: `document`, `participant`, `role`, a participant column, or a document field or
    /// attribute (`wave`, `kind`, `date`, `title`...): the keys `--where` knows.
    #[arg(long, default_value = "document")]
    pub(crate) by: String,
    /// Only segments where a speaker meets this condition (`role=Peer Mentor`, `wave=2`); repeat.
    #[arg(long = "where", value_name = "KEY=VALUE")]
    pub(crate) wheres: Vec<String>,
    /// Only documents of this wave (repeat for several: any of them).
    #[arg(long = "wave", value_name = "N")]
    pub(crate) waves: Vec<u32>,
    /// Cells: `segments`, `presence` or `words`.
    #[arg(long, default_value = "segments", value_parser = ["segments", "presence", "words"])]
    pub(crate) value: String,
    /// The framework matrix instead: participants by the entries of `--rows`, each cell their
    /// coded segments.
    #[arg(long)]
    pub(crate) framework: bool,
    /// Output: `table`, `csv`, `markdown`, `json` or `parquet` (with `--out`).
    #[arg(long, default_value = "table", value_parser = ["table", "csv", "markdown", "json", "parquet"])]
    pub(crate) format: String,
    /// Only this coder's codings.
    #[arg(long = "by-coder", value_name = "CODER")]
    pub(crate) by_coder: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub(crate) out: Option<std::path::PathBuf>,
    /// Draw code frequencies (row totals) as bars to this SVG file.
    #[arg(long, value_name = "FILE")]
    pub(crate) bars: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct WavesArgs {
    /// Also print the participants table of each wave (each person once in a wave).
    #[arg(long)]
    pub(crate) participants_table: bool,
    /// Output: `table`, `markdown`, `csv` (participation) or `json`.
    #[arg(long, default_value = "table", value_parser = ["table", "markdown", "csv", "json"])]
    pub(crate) format: String,
}

#[derive(Debug, Args)]
pub(crate) struct TrajectoriesArgs {
    /// Rows: `code`, or entries of this kind with what is under them (`theme`, `sub-theme`,
    /// `category`).
    #[arg(long, default_value = "code")]
    pub(crate) rows: String,
    /// Only these participants (ids or pseudonyms, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "PARTICIPANTS")]
    pub(crate) participants: Vec<String>,
    /// Only this wave (repeat for several; default: every wave).
    #[arg(long = "wave", value_name = "N")]
    pub(crate) waves: Vec<u32>,
    /// Only this coder's codings (as `--coders CODER`).
    #[arg(long = "by-coder", value_name = "CODER")]
    pub(crate) by_coder: Option<String>,
    /// Write the changes table (gained, kept, lost) rather than the participants by wave, with
    /// `--format csv`, `md` or `parquet`.
    #[arg(long)]
    pub(crate) changes: bool,
    /// The framework matrix of each wave instead: participants by the entries of `--rows`, each
    /// cell their quotes of that wave (`--format md`, `csv` or `json`).
    #[arg(long, conflicts_with = "changes")]
    pub(crate) framework: bool,
    /// Output: `table`, `json`, or a table format (`md`, `csv`, `xlsx`, `latex`, `docx`, `html`,
    /// `parquet`; binary ones need `--out`).
    #[arg(long, default_value = "table")]
    pub(crate) format: String,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub(crate) out: Option<std::path::PathBuf>,
    /// Draw a chart to this SVG (or PNG) file: the participants-by-wave presence grid, or with
    /// `--chart-kind alluvial` the bands of participants between each wave's sets of rows.
    #[arg(long, value_name = "FILE")]
    pub(crate) chart: Option<std::path::PathBuf>,
    /// The chart: `presence` or `alluvial`.
    #[arg(long, value_name = "KIND", default_value = "presence", requires = "chart")]
    pub(crate) chart_kind: thema_analysis::alluvial::TrajectoryChart,
    /// With `--chart`: this one code or theme, present or absent, instead of every row.
    #[arg(long, value_name = "ENTRY", requires = "chart")]
    pub(crate) entry: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct SegmentsArgs {
    /// Code, category, sub-theme or theme (id or name).
    pub(crate) entry: String,
    /// Group by `participant` or `document` (default: in document order).
    #[arg(long, value_parser = ["participant", "document"])]
    pub(crate) by: Option<String>,
    /// How quotes are attributed: `pseudonym-role` ("-Simon, Peer Mentor"), `id`,
    /// `participant-number`, `role`, `none`, or a template like `-{pseudonym}, {role}, wave {wave}`
    /// (default: `attribution` in `thema.toml`, else `pseudonym-role`).
    #[arg(long, value_name = "STYLE", allow_hyphen_values = true)]
    pub(crate) attribution: Option<String>,
    /// Only segments where a speaker meets this condition (`role=Peer Mentor`, `wave=2`); repeat.
    #[arg(long = "where", value_name = "KEY=VALUE")]
    pub(crate) wheres: Vec<String>,
    /// Only documents of this wave (repeat for several: any of them).
    #[arg(long = "wave", value_name = "N")]
    pub(crate) waves: Vec<u32>,
    /// Wrap at this many columns.
    #[arg(long)]
    pub(crate) width: Option<usize>,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ExemplarArgs {
    /// Code, sub-theme or theme (id or name) whose coding of the passage is marked; without it
    /// and a passage, list the exemplars.
    pub(crate) code: Option<String>,
    #[command(flatten)]
    pub(crate) passage: Passage,
    /// Unmark instead.
    #[arg(long)]
    pub(crate) remove: bool,
    /// How quotes are attributed: `pseudonym-role` ("-Simon, Peer Mentor"), `id`,
    /// `participant-number`, `role`, `none`, or a template like `-{pseudonym}, {role}, wave {wave}`
    /// (default: `attribution` in `thema.toml`, else `pseudonym-role`).
    #[arg(long, value_name = "STYLE", allow_hyphen_values = true)]
    pub(crate) attribution: Option<String>,
    /// Print JSON (the list).
    #[arg(long)]
    pub(crate) json: bool,
}

/// `--format` of `thema export`: the names of the table formats, each parsed into its format.
fn export_format() -> impl clap::builder::TypedValueParser<Value = thema_publish::ExportFormat> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(thema_publish::ExportFormat::TABLE_NAMES)
        .map(|name| thema_publish::ExportFormat::from_name(&name).unwrap_or(thema_publish::ExportFormat::Markdown))
}

/// What `thema export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ExportWhat {
    /// The codebook: hierarchy, descriptions, in-vivo marks, counts.
    Codebook,
    /// The theme table ("Table 2"): themes, roles, sub-themes, descriptions, exemplar quotes.
    Themes,
    /// The participants table ("Table 1").
    Participants,
    /// Every coded segment with its attribution.
    Segments,
    /// Every coding of every coder, as stored.
    Codings,
    /// The codebook as a REFI-QDA codebook exchange file (`.qdc`).
    Qdc,
    /// The whole study as a REFI-QDA project exchange file (`.qdpx`).
    Qdpx,
}

#[derive(Debug, Args)]
pub(crate) struct AuditArgs {
    /// Exports or folders outside the study to read too.
    pub(crate) paths: Vec<PathBuf>,
    /// The de-identification key whose originals must not appear anywhere.
    #[arg(long)]
    pub(crate) key: Option<PathBuf>,
    /// Look for the key's originals only, not for e-mail addresses, phone numbers and the like.
    #[arg(long)]
    pub(crate) no_detect: bool,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct DeidentifyArgs {
    /// The key: a CSV file with columns `original`, `replacement` and `category` (person,
    /// place, organisation, other), kept outside the study.
    #[arg(long)]
    pub(crate) key: Option<PathBuf>,
    /// Do not tag e-mail addresses, phone numbers, URLs, postal codes, addresses and dates of
    /// birth; use the key only.
    #[arg(long)]
    pub(crate) no_detect: bool,
    /// Say what would be replaced without changing anything.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// List capitalised words and phrases that are neither in the key, nor common words, nor
    /// pseudonyms or speaker labels, with their turns, for a person to decide; change nothing.
    #[arg(long, conflicts_with_all = ["dry_run", "keep"])]
    pub(crate) review: bool,
    /// Record these words or phrases as not identifiers, so `--review` no longer lists them.
    #[arg(long, value_name = "WORDS", num_args = 1..)]
    pub(crate) keep: Vec<String>,
    /// Why, for the decision log.
    #[arg(long)]
    pub(crate) why: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ImportCodebookArgs {
    /// The `.qdc` file.
    pub(crate) file: PathBuf,
    /// Say what would be added and matched without changing the codebook.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Why, for the decision log.
    #[arg(long)]
    pub(crate) why: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ImportProjectArgs {
    /// The `.qdpx` file.
    pub(crate) file: PathBuf,
    /// Folder of the new study (default: the file's name without `.qdpx`, in the current folder).
    pub(crate) dir: Option<PathBuf>,
    /// Replace the study already in that folder.
    #[arg(long)]
    pub(crate) overwrite: bool,
    /// How the file counts selection positions (default: from the program that wrote it: NVivo
    /// counts UTF-16 units, ATLAS.ti counts CR LF as one, others count code points).
    #[arg(long, value_parser = ["code-points", "utf16", "crlf-as-one"])]
    pub(crate) positions: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// What to write.
    #[arg(value_enum)]
    pub(crate) what: ExportWhat,
    /// `md`, `csv`, `xlsx`, `latex`, `docx`, `html`, or `parquet` (segments and codings);
    /// default: from the extension of `--out`, else Markdown.
    #[arg(long, value_parser = export_format())]
    pub(crate) format: Option<thema_publish::ExportFormat>,
    /// Write to this file (needed for XLSX, DOCX and Parquet).
    #[arg(long, short)]
    pub(crate) out: Option<PathBuf>,
    /// Exemplar quotes a theme when none are marked (themes).
    #[arg(long, default_value_t = 2)]
    pub(crate) quotes: usize,
    /// Only participants of these documents (participants).
    #[arg(long = "doc", value_name = "DOC")]
    pub(crate) documents: Vec<String>,
    /// Only participants of documents of this kind (participants).
    #[arg(long = "kind", value_name = "KIND")]
    pub(crate) kinds: Vec<String>,
    /// Add median and range to numeric attributes (participants).
    #[arg(long)]
    pub(crate) median: bool,
    /// How quotes are attributed: `pseudonym-role` ("-Simon, Peer Mentor"), `id`,
    /// `participant-number`, `role`, `none`, or a template like `-{pseudonym}, {role}, wave {wave}`
    /// (default: `attribution` in `thema.toml`, else `pseudonym-role`).
    #[arg(long, value_name = "STYLE", allow_hyphen_values = true)]
    pub(crate) attribution: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct MapArgs {
    /// Show the codes and categories inside each theme too.
    #[arg(long)]
    pub(crate) codes: bool,
    /// `svg`, `dot` or `mermaid`; default: from the extension of `--out` (`.dot`, `.gv`,
    /// `.mmd`), else SVG.
    #[arg(long, value_parser = ["svg", "dot", "mermaid"])]
    pub(crate) format: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub(crate) out: Option<PathBuf>,
    /// Title above the map (default: the study's name).
    #[arg(long)]
    pub(crate) title: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// The HTML file to write.
    #[arg(long, short, default_value = "report.html")]
    pub(crate) out: PathBuf,
    /// Include the memos.
    #[arg(long)]
    pub(crate) memos: bool,
    /// Include the codes in the theme map.
    #[arg(long)]
    pub(crate) codes: bool,
    /// Exemplar quotes a theme when none are marked.
    #[arg(long, default_value_t = 2)]
    pub(crate) quotes: usize,
    /// How quotes are attributed: `pseudonym-role` ("-Simon, Peer Mentor"), `id`,
    /// `participant-number`, `role`, `none`, or a template like `-{pseudonym}, {role}, wave {wave}`
    /// (default: `attribution` in `thema.toml`, else `pseudonym-role`).
    #[arg(long, value_name = "STYLE", allow_hyphen_values = true)]
    pub(crate) attribution: Option<String>,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct ReviewArgs {
    #[command(subcommand)]
    pub(crate) command: Option<ReviewCommand>,
    /// The HTML file to write.
    #[arg(long, short, default_value = "review.html")]
    pub(crate) out: PathBuf,
    /// The reviewer's name, filled in on the page (they can change it there).
    #[arg(long, value_name = "NAME")]
    pub(crate) reviewer: Option<String>,
    /// How quotes are attributed, as `thema report --attribution` (default: `attribution` in
    /// `thema.toml`, else `pseudonym-role`).
    #[arg(long, value_name = "STYLE", allow_hyphen_values = true)]
    pub(crate) attribution: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ReviewCommand {
    /// Bring comments files saved on the review page into the study: each comment becomes a
    /// memo of kind `review` on the entry, relation or quote it was made on. All or nothing;
    /// importing a file again adds nothing.
    Import {
        /// Comments files (`review-comments-NAME.json`).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Print what was imported as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the review comments brought in, by what they are on, with their status.
    List {
        /// Only the comments no decision has resolved yet.
        #[arg(long)]
        open: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Close a review comment: the decision log records who resolved it, when and why.
    Resolve {
        /// The comment's memo id (`review-c1...`, as `thema review list` shows it).
        memo: String,
        /// What was done about it, for the decision log.
        #[arg(long)]
        why: Option<String>,
    },
}

#[derive(Debug, Args)]
pub(crate) struct SheetArgs {
    /// Document id.
    pub(crate) document: String,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub(crate) out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct ApplyArgs {
    /// The edited sheet.
    pub(crate) sheet: PathBuf,
    /// Show what would change, change nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
}

/// What a memo is attached to (at most one; none means the study as a whole).
#[derive(Debug, Args, Default)]
pub(crate) struct MemoTarget {
    /// Attach to a document.
    #[arg(long, conflicts_with_all = ["turn", "code"])]
    pub(crate) doc: Option<String>,
    /// Attach to a turn (`fg1:T17`).
    #[arg(long, conflicts_with = "code")]
    pub(crate) turn: Option<String>,
    /// Attach to a code, category, sub-theme or theme (id or name).
    #[arg(long)]
    pub(crate) code: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum MemoCommand {
    /// Write a memo: the text as an argument, from standard input, or in `$EDITOR` with `--edit`.
    Add {
        /// Title.
        title: String,
        /// The memo's text (Markdown).
        text: Option<String>,
        #[command(flatten)]
        target: MemoTarget,
        /// Kind of memo: reflexive, analytic, method, ... (free text).
        #[arg(long, default_value = "")]
        kind: String,
        /// Write it in `$VISUAL` or `$EDITOR`.
        #[arg(long, conflicts_with = "text")]
        edit: bool,
    },
    /// List memos, all or those attached to one thing, or those that mention words.
    #[command(alias = "ls")]
    List {
        #[command(flatten)]
        target: MemoTarget,
        /// Only memos whose title or text holds every one of these words (any case).
        #[arg(long, value_name = "WORDS")]
        grep: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a memo.
    Show {
        /// Memo id (`m-0001`).
        id: String,
    },
}

#[derive(Debug, Args)]
pub(crate) struct MergeCodersArgs {
    /// First coder.
    pub(crate) a: String,
    /// Second coder.
    pub(crate) b: String,
    /// Coder id for the consensus set (a new codings file).
    #[arg(long)]
    pub(crate) into: String,
    /// Keep only segments both coders gave (default: keep every segment, listing the one-sided).
    #[arg(long)]
    pub(crate) agreed_only: bool,
    /// Replace the consensus coder's codings if it has some.
    #[arg(long)]
    pub(crate) replace: bool,
    /// Print the conflicts as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap's own checks of every subcommand (unique flags, valid defaults), which otherwise run
    /// only when that subcommand is used.
    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}

#[derive(Debug, Args)]
pub(crate) struct WorkbenchArgs {
    /// Document id to open (default: the first document).
    pub(crate) document: Option<String>,
    /// Leave the mouse to the terminal (its own text selection and copying) rather than click,
    /// drag and wheel in the workbench.
    #[arg(long)]
    pub(crate) no_mouse: bool,
}
