//! Writing what was read as a study: attribute types, fresh ids, and the study folder written whole.

use super::*;

/// Attribute types: declared by thema or by the variable's type when every value fits it, else
/// (with `infer`) inferred from the values.
pub(super) fn attribute_types(
    values: BTreeMap<String, Vec<(String, Option<AttributeType>)>>,
    infer: bool,
) -> BTreeMap<String, AttributeType> {
    values
        .into_iter()
        .filter_map(|(name, vs)| {
            // A declared type every value fits (NVivo writes `Unassigned` in number columns).
            let fits =
                |kind: AttributeType| vs.iter().all(|(v, _)| thema_core::participant::check_value(kind, v).is_ok());
            let declared = vs.iter().find_map(|(_, k)| *k).filter(|&k| fits(k));
            let kind = declared.or_else(|| infer.then(|| AttributeType::infer(vs.iter().map(|(v, _)| v.as_str()))))?;
            Some((name, kind))
        })
        .collect()
}

/// `%20` and the like decoded (file names in `internal://` paths are sometimes URL-encoded).
pub(super) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Write the study in a temporary sibling of `target` and rename it into place, so that a
/// failed import leaves nothing behind and an existing study is replaced whole or not at all.
pub(super) fn write_study(
    target: &Path,
    built: Built,
    overwrite: bool,
    report: &mut ImportReport,
) -> Result<(), RefiError> {
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .map_err(|e| RefiError::Invalid(format!("cannot create {}: {e}", parent.display())))?;
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("study");
    let staging = parent.join(format!(".{name}.importing-{}", std::process::id()));
    if staging.exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    let result = (|| -> Result<(), RefiError> {
        let mut study = Study::init(&staging, &built.settings.name)?;
        study.settings = built.settings;
        study.save_settings()?;
        study.participants = built.participants;
        study.save_participants()?;
        study.save_codebook(&built.codebook)?;
        study.add_documents(&built.documents)?;
        let mut by_coder: BTreeMap<&str, Vec<Coding>> = BTreeMap::new();
        for c in &built.codings {
            by_coder.entry(c.coder.as_str()).or_default().push(c.clone());
        }
        for (coder, mut codings) in by_coder {
            codings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            codings.dedup_by(|a, b| a.sort_key() == b.sort_key());
            study.save_coder_codings(coder, &codings)?;
        }
        for m in &built.memos {
            study.save_memo(m)?;
        }
        let problems = built.codebook.problems();
        if !problems.is_empty() {
            report.notes.extend(problems);
        }
        study.log_decision(&Decision {
            time: thema_core::coding::now(),
            who: "thema".into(),
            action: "import-project".into(),
            what: format!(
                "REFI-QDA project from {}: {} documents, {} codes, {} codings",
                if report.origin.is_empty() { "an unnamed program" } else { &report.origin },
                report.counts.documents,
                report.counts.codes,
                report.counts.codings
            ),
            why: String::new(),
        })?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let io =
        |e: std::io::Error| RefiError::Invalid(format!("cannot move the imported study to {}: {e}", target.display()));
    if target.exists() {
        if overwrite && target.join("thema.toml").exists() {
            let old = parent.join(format!(".{name}.replaced-{}", std::process::id()));
            std::fs::rename(target, &old).map_err(io)?;
            if let Err(e) = std::fs::rename(&staging, target) {
                let _ = std::fs::rename(&old, target);
                return Err(io(e));
            }
            let _ = std::fs::remove_dir_all(&old);
            return Ok(());
        }
        // An empty folder.
        std::fs::remove_dir(target).map_err(io)?;
    }
    std::fs::rename(&staging, target).map_err(io)
}
