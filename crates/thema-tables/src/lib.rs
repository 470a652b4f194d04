//! A study's tables as polars data frames, written as Parquet so that R (arrow), Python
//! (pandas, polars), DuckDB or Spark users can carry on from them. Kept in its own crate: polars
//! is the heaviest dependency of the workspace, and nothing else needs it.

use polars::prelude::*;
use thema_analysis::matrix::Matrix;

/// The matrix as a data frame: a column `entry` (names), a column `id` (codebook ids), and one
/// unsigned column per matrix column.
pub fn matrix_frame(matrix: &Matrix) -> PolarsResult<DataFrame> {
    let mut columns: Vec<Column> =
        vec![Column::new("entry".into(), matrix.row_labels.clone()), Column::new("id".into(), matrix.rows.clone())];
    for (j, name) in matrix.columns.iter().enumerate() {
        let values: Vec<u64> = matrix.cells.iter().map(|row| row[j] as u64).collect();
        columns.push(Column::new(name.as_str().into(), values));
    }
    DataFrame::new(columns)
}

/// Parquet bytes of the matrix (uncompressed pages, statistics off, so the same matrix gives
/// the same bytes).
pub fn matrix_parquet(matrix: &Matrix) -> PolarsResult<Vec<u8>> {
    frame_parquet(&mut matrix_frame(matrix)?)
}

/// A table of text cells as a data frame: columns named in `integers` hold whole numbers
/// (unsigned; an empty cell is null), `booleans` hold `true`/`false`, the rest are strings.
pub fn text_frame(
    columns: &[&str],
    rows: &[Vec<String>],
    integers: &[&str],
    booleans: &[&str],
) -> PolarsResult<DataFrame> {
    let mut out: Vec<Column> = Vec::with_capacity(columns.len());
    for (j, name) in columns.iter().enumerate() {
        let cell = |row: &Vec<String>| row.get(j).cloned().unwrap_or_default();
        let column = if integers.contains(name) {
            let values: Vec<Option<u64>> = rows
                .iter()
                .map(|r| {
                    let text = cell(r);
                    if text.is_empty() {
                        Ok(None)
                    } else {
                        text.parse::<u64>().map(Some).map_err(|_| {
                            PolarsError::ComputeError(format!("column `{name}`: `{text}` is not a whole number").into())
                        })
                    }
                })
                .collect::<PolarsResult<_>>()?;
            Column::new((*name).into(), values)
        } else if booleans.contains(name) {
            let values: Vec<Option<bool>> = rows.iter().map(|r| cell(r).parse::<bool>().ok()).collect();
            Column::new((*name).into(), values)
        } else {
            let values: Vec<String> = rows.iter().map(cell).collect();
            Column::new((*name).into(), values)
        };
        out.push(column);
    }
    DataFrame::new(out)
}

/// Parquet bytes of a data frame (uncompressed pages, statistics off: the same frame gives the
/// same bytes).
pub fn frame_parquet(frame: &mut DataFrame) -> PolarsResult<Vec<u8>> {
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .with_compression(ParquetCompression::Uncompressed)
        .with_statistics(StatisticsOptions::empty())
        .finish(frame)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parquet_round_trips_through_polars() {
        let matrix = Matrix {
            rows: vec!["hope".into(), "trust".into()],
            row_labels: vec!["Offering hope".into(), "Trust".into()],
            columns: vec!["fg1".into(), "int1".into()],
            cells: vec![vec![3, 0], vec![1, 2]],
        };
        let bytes = matrix_parquet(&matrix).unwrap();
        assert_eq!(&bytes[..4], b"PAR1");
        assert_eq!(bytes, matrix_parquet(&matrix).unwrap());
        let back = ParquetReader::new(std::io::Cursor::new(bytes)).finish().unwrap();
        assert_eq!(back.shape(), (2, 4));
        let fg1: Vec<Option<u64>> = back.column("fg1").unwrap().u64().unwrap().into_iter().collect();
        assert_eq!(fg1, [Some(3), Some(1)]);
    }

    #[test]
    fn text_tables_keep_types() {
        let rows = vec![
            vec!["fg1".to_owned(), "12".to_owned(), "true".to_owned()],
            vec!["int1".to_owned(), String::new(), "false".to_owned()],
        ];
        let mut frame = text_frame(&["document", "start", "exemplar"], &rows, &["start"], &["exemplar"]).unwrap();
        let bytes = frame_parquet(&mut frame).unwrap();
        let back = ParquetReader::new(std::io::Cursor::new(bytes)).finish().unwrap();
        let start: Vec<Option<u64>> = back.column("start").unwrap().u64().unwrap().into_iter().collect();
        assert_eq!(start, [Some(12), None]);
        let flag: Vec<Option<bool>> = back.column("exemplar").unwrap().bool().unwrap().into_iter().collect();
        assert_eq!(flag, [Some(true), Some(false)]);
        let bad = vec![vec!["x".to_owned(), "twelve".to_owned(), String::new()]];
        let e = text_frame(&["document", "start", "exemplar"], &bad, &["start"], &["exemplar"]).unwrap_err();
        assert!(e.to_string().contains("`twelve` is not a whole number"), "{e}");
    }
}
