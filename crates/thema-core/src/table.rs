//! CSV tables as researchers keep them (participants, survey answers): one header row whose
//! names are trimmed, present and distinct.

/// Read and check the header row. The error is the message for line 1.
pub fn read_header<R: std::io::Read>(reader: &mut csv::Reader<R>) -> Result<Vec<String>, String> {
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("cannot read the header: {e}"))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for (i, name) in headers.iter().enumerate() {
        if name.is_empty() {
            return Err(format!("column {} has no name; every column needs a header", i + 1));
        }
        if !seen.insert(name.as_str()) {
            return Err(format!("column `{name}` appears twice"));
        }
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(text: &str) -> Result<Vec<String>, String> {
        read_header(&mut csv::Reader::from_reader(text.as_bytes()))
    }

    #[test]
    fn checks_names() {
        assert_eq!(header(" id , age\n1,2\n").unwrap(), ["id", "age"]);
        assert_eq!(header("id,,age\n").unwrap_err(), "column 2 has no name; every column needs a header");
        assert_eq!(header("id,age,id\n").unwrap_err(), "column `id` appears twice");
    }
}
