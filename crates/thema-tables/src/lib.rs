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
    let mut frame = matrix_frame(matrix)?;
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .with_compression(ParquetCompression::Uncompressed)
        .with_statistics(StatisticsOptions::empty())
        .finish(&mut frame)?;
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
}
