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

/// Rows a [`TextParquetWriter`] gathers into one row group unless told otherwise: big enough
/// for readers to scan quickly, small enough that one group's strings and frame stay tens of
/// megabytes when a million coded segments are written.
pub const BATCH_ROWS: usize = 65_536;

/// A table of text cells written as Parquet a batch of rows at a time, one row group each, so
/// that memory holds one batch rather than the whole table. Columns are typed as
/// [`text_frame`] types them; pages are uncompressed and statistics off, as in
/// [`frame_parquet`], so the same rows in the same batches give the same bytes.
pub struct TextParquetWriter<W: std::io::Write> {
    writer: BatchedWriter<W>,
    columns: Vec<String>,
    integers: Vec<String>,
    booleans: Vec<String>,
    batch_rows: usize,
    rows: Vec<Vec<String>>,
}

impl<W: std::io::Write> TextParquetWriter<W> {
    /// A writer of rows with these columns to `out`, [`BATCH_ROWS`] rows a row group.
    pub fn new(out: W, columns: &[&str], integers: &[&str], booleans: &[&str]) -> PolarsResult<Self> {
        let empty = text_frame(columns, &[], integers, booleans)?;
        let writer = ParquetWriter::new(out)
            .with_compression(ParquetCompression::Uncompressed)
            .with_statistics(StatisticsOptions::empty())
            .batched(empty.schema())?;
        let owned = |names: &[&str]| names.iter().map(|&n| n.to_owned()).collect();
        Ok(TextParquetWriter {
            writer,
            columns: owned(columns),
            integers: owned(integers),
            booleans: owned(booleans),
            batch_rows: BATCH_ROWS,
            rows: Vec::new(),
        })
    }

    /// Gather `rows` rows (at least one) into each row group instead.
    pub fn with_batch_rows(mut self, rows: usize) -> Self {
        self.batch_rows = rows.max(1);
        self
    }

    /// Add a row; a full batch is written out as a row group.
    pub fn push(&mut self, row: Vec<String>) -> PolarsResult<()> {
        self.rows.push(row);
        if self.rows.len() >= self.batch_rows {
            self.write_batch()?;
        }
        Ok(())
    }

    fn write_batch(&mut self) -> PolarsResult<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.rows);
        fn names(v: &[String]) -> Vec<&str> {
            v.iter().map(String::as_str).collect()
        }
        let frame = text_frame(&names(&self.columns), &rows, &names(&self.integers), &names(&self.booleans))?;
        drop(rows);
        self.writer.write_batch(&frame)
    }

    /// Write the last batch and the file's footer. Returns the file's size in bytes.
    pub fn finish(mut self) -> PolarsResult<u64> {
        self.write_batch()?;
        self.writer.finish()
    }
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

    /// Rows written a few at a time read back as the one frame of them all, in order, across
    /// row-group boundaries; and the same rows give the same bytes.
    #[test]
    fn batched_writes_read_back_as_one_table() {
        let rows: Vec<Vec<String>> = (0..8)
            .map(|i| {
                vec![
                    format!("doc{i}"),
                    if i == 5 { String::new() } else { (i * 10).to_string() },
                    (i % 2 == 0).to_string(),
                ]
            })
            .collect();
        let columns = ["document", "start", "exemplar"];
        let write = |batch: usize| {
            let mut bytes = Vec::new();
            let mut writer =
                TextParquetWriter::new(&mut bytes, &columns, &["start"], &["exemplar"]).unwrap().with_batch_rows(batch);
            for row in &rows {
                writer.push(row.clone()).unwrap();
            }
            writer.finish().unwrap();
            bytes
        };
        let bytes = write(3);
        assert_eq!(bytes, write(3));
        let back = ParquetReader::new(std::io::Cursor::new(bytes.clone())).finish().unwrap();
        let whole = text_frame(&columns, &rows, &["start"], &["exemplar"]).unwrap();
        assert!(back.equals_missing(&whole), "{back}\n{whole}");
        let documents: Vec<Option<&str>> = back.column("document").unwrap().str().unwrap().into_iter().collect();
        assert_eq!(documents[2..4], [Some("doc2"), Some("doc3")]);
        let start: Vec<Option<u64>> = back.column("start").unwrap().u64().unwrap().into_iter().collect();
        assert_eq!(start[2..7], [Some(20), Some(30), Some(40), None, Some(60)]);
        let groups = ParquetReader::new(std::io::Cursor::new(bytes)).get_metadata().unwrap().row_groups.len();
        assert_eq!(groups, 3);
        // No rows: the columns and their types, nothing else.
        let mut empty = Vec::new();
        TextParquetWriter::new(&mut empty, &columns, &["start"], &["exemplar"]).unwrap().finish().unwrap();
        let back = ParquetReader::new(std::io::Cursor::new(empty)).finish().unwrap();
        assert_eq!(back.shape(), (0, 3));
        assert_eq!(back.schema(), whole.schema());
    }
}
