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
    /// Validate the whole study: every problem with its file, line and fix.
    Check(CheckArgs),
    /// Build the bundled example study (Palis et al. 2024) and run every step on it.
    Demo(DemoArgs),
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
    /// docx, odt, csv, json.
    #[arg(long, value_name = "FORMAT")]
    pub(crate) format: Option<String>,
    /// Character encoding of text files that are not UTF-8 (e.g. `windows-1252`, `latin1`).
    #[arg(long)]
    pub(crate) encoding: Option<String>,
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
    /// Print the import reports as JSON.
    #[arg(long)]
    pub(crate) json: bool,
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
    /// Wrap at this many columns (default: the terminal's width, or 100).
    #[arg(long)]
    pub(crate) width: Option<usize>,
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
    /// Document id.
    pub(crate) document: String,
    /// Speaker label as it appears in the document.
    pub(crate) label: String,
    /// Participant id (from `participants.csv`).
    #[arg(required_unless_present_any = ["interviewer", "unlink"])]
    pub(crate) participant: Option<String>,
    /// Mark the label as the interviewer, moderator or facilitator.
    #[arg(long, conflicts_with_all = ["participant", "unlink"])]
    pub(crate) interviewer: bool,
    /// Remove the link.
    #[arg(long, conflicts_with = "participant")]
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
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Folder for the example study (default: `thema-demo`); replaced if it holds an earlier demo.
    #[arg(long, default_value = "thema-demo")]
    pub(crate) out: PathBuf,
}
