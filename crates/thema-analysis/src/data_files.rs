//! Reliability data from files instead of a study: a ratings table (one row a unit, one column a
//! coder) and units marked on one continuum (coder, begin, end, category). Errors name the file
//! and line.

use std::path::Path;

use crate::agreement::{Labels, NamedWeights, Ratings};
use crate::error::AnalysisError;
use crate::unitizing::{self, Unit};

/// The error of a data file: `message` names the file (and line), the cause kept.
fn error(
    message: String,
    hint: Option<&str>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
) -> AnalysisError {
    AnalysisError::DataFile { message, hint: hint.map(str::to_owned), source }
}

fn open(path: &Path) -> Result<std::fs::File, AnalysisError> {
    thema_core::fsio::open_regular(path)
        .map_err(|e| error(format!("cannot read `{}`", path.display()), None, Some(Box::new(e))))
}

/// The rows of a ratings file, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatingsFile {
    /// The coders, from the header.
    pub coders: Vec<String>,
    /// The distinct ratings, trimmed, in the order first seen.
    pub labels: Vec<String>,
    /// One a unit, one cell a coder's rating as an index into `labels` (`None`: missing: empty
    /// or `NA`).
    pub rows: Vec<Vec<Option<u32>>>,
    /// The line of each row.
    pub lines: Vec<usize>,
    /// The lines of units without any rating, left out.
    pub empty_lines: Vec<usize>,
}

/// The header of a CSV file, trimmed, and whether its first column names the units (one of
/// `unit_names`) and is left out.
fn header(
    path: &Path,
    reader: &mut csv::Reader<std::fs::File>,
    unit_names: &[&str],
) -> Result<(Vec<String>, usize), AnalysisError> {
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| error(format!("`{}`: cannot read the header", path.display()), None, Some(Box::new(e))))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let skip = usize::from(header.first().is_some_and(|h| unit_names.contains(&h.to_lowercase().as_str())));
    Ok((header, skip))
}

/// A CSV file of ratings: a header of coder names (an optional first column `unit`, `id` or
/// `item`), one row a unit, an empty cell or `NA` a missing rating. Each distinct rating is kept
/// once, so a million units of a few categories cost a few bytes a cell.
pub fn read_ratings(path: &Path) -> Result<RatingsFile, AnalysisError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(open(path)?);
    let (header, skip) = header(path, &mut reader, &["unit", "id", "item"])?;
    let mut out = RatingsFile {
        coders: header[skip..].to_vec(),
        labels: Vec::new(),
        rows: Vec::new(),
        lines: Vec::new(),
        empty_lines: Vec::new(),
    };
    let mut labels = Labels::default();
    let mut record = csv::ByteRecord::new();
    loop {
        let line = reader.position().line() as usize;
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(error(format!("`{}`: line {line}: {e}", path.display()), None, None)),
        }
        let mut row: Vec<Option<u32>> = Vec::with_capacity(record.len().saturating_sub(skip));
        for cell in record.iter().skip(skip) {
            let cell = std::str::from_utf8(cell).map_err(|_| {
                error(
                    format!("`{}`: line {line}: a rating is not UTF-8 text", path.display()),
                    Some("save the file as UTF-8"),
                    None,
                )
            })?;
            row.push(if cell.trim().eq_ignore_ascii_case("na") { None } else { labels.intern(cell) });
        }
        if row.iter().all(Option::is_none) {
            out.empty_lines.push(line);
            continue;
        }
        out.rows.push(row);
        out.lines.push(line);
    }
    out.labels = labels.names;
    Ok(out)
}

impl RatingsFile {
    /// The ratings of the file at `path`, or why they cannot be compared.
    pub fn ratings(&self, path: &Path) -> Result<Ratings, AnalysisError> {
        Ratings::from_labels(&self.labels, &self.rows).map_err(|e| {
            error(
                format!("`{}`: {e}", path.display()),
                Some("one row a unit, one column a coder, with a header of coder names"),
                None,
            )
        })
    }

    /// Only the columns of the coders `named`, in that order (all when none is named); the
    /// units none of them rated are left out as empty.
    pub fn select(mut self, path: &Path, named: &[String]) -> Result<RatingsFile, AnalysisError> {
        if named.is_empty() {
            return Ok(self);
        }
        let columns: Vec<usize> = named
            .iter()
            .map(|n| {
                self.coders.iter().position(|c| c == n).ok_or_else(|| {
                    error(
                        format!("`{}` has no column `{n}`", path.display()),
                        Some(&format!("its coders: {}", self.coders.join(", "))),
                        None,
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        let (rows, lines) = (std::mem::take(&mut self.rows), std::mem::take(&mut self.lines));
        for (row, line) in rows.into_iter().zip(lines) {
            let row: Vec<Option<u32>> = columns.iter().map(|&c| row[c]).collect();
            if row.iter().all(Option::is_none) {
                self.empty_lines.push(line);
            } else {
                self.rows.push(row);
                self.lines.push(line);
            }
        }
        self.empty_lines.sort_unstable();
        self.coders = named.to_vec();
        Ok(self)
    }
}

/// A subject-by-category table (`--counts`, the layout of Fleiss 1971): a header of category
/// names (an optional first column `unit`, `id`, `item` or `subject`), one row a unit, each cell the number
/// of raters who put the unit in that category.
pub fn read_counts(path: &Path) -> Result<Ratings, AnalysisError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(open(path)?);
    let (header, skip) = header(path, &mut reader, &["unit", "id", "item", "subject"])?;
    let categories = header[skip..].to_vec();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| error(format!("`{}`: line {line}: {e}", path.display()), None, None))?;
        let row: Vec<usize> = record
            .iter()
            .skip(skip)
            .zip(&categories)
            .map(|(c, category)| {
                let c = c.trim();
                if c.is_empty() {
                    return Ok(0);
                }
                c.parse().map_err(|_| {
                    error(
                        format!("`{}`: line {line}: `{c}` under `{category}` is not a count of raters", path.display()),
                        Some("with `--counts` each cell is the number of raters who chose that column's category"),
                        None,
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        rows.push(row);
    }
    Ratings::from_counts(&categories, &rows).map_err(|e| {
        error(
            format!("`{}`: {e}", path.display()),
            Some("one row a unit, one column a category, each cell the number of raters who chose it"),
            None,
        )
    })
}

/// `--weights`: `identity`, `linear`, `quadratic` or `ordinal` (Gwet 2014, ch. 3), else a CSV
/// file of weights: a header of category labels after a first cell for the row labels, then one
/// row a category, its label and its weight with each category, numbers from 0 to 1 and 1 where
/// a category meets itself. Every category of `ratings` needs a row and a column.
pub fn weights(spec: &str, ratings: &Ratings) -> Result<NamedWeights, AnalysisError> {
    if let Some(named) = NamedWeights::named(spec, ratings) {
        return named.map_err(AnalysisError::Ratings);
    }
    let path = Path::new(spec);
    if !path.exists() {
        return Err(error(
            format!("`{spec}` is neither a kind of weights nor a file"),
            Some("`--weights` takes `linear`, `quadratic`, `ordinal` or a CSV file of weights"),
            None,
        ));
    }
    let hint = "a first row of category labels after an empty cell, then one row a category: its label and its weights";
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(open(path)?);
    let (header, _) = header(path, &mut reader, &[])?;
    let columns: Vec<&str> = header.iter().skip(1).map(String::as_str).collect();
    let mut rows: Vec<(String, Vec<f64>, usize)> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let at = |message: String| error(format!("`{}`: line {line}: {message}", path.display()), Some(hint), None);
        let record = record.map_err(|e| at(e.to_string()))?;
        let label = record[0].trim().to_owned();
        let mut weights = Vec::new();
        for (cell, column) in record.iter().skip(1).zip(&columns) {
            let w: f64 =
                cell.trim().parse().map_err(|_| at(format!("`{}` under `{column}` is not a weight", cell.trim())))?;
            if !(0.0..=1.0).contains(&w) || (label == *column && w != 1.0) {
                return Err(at(format!(
                    "the weight of `{label}` with `{column}` is {w}: weights run from 0 to 1, and are 1 where a category meets itself"
                )));
            }
            weights.push(w);
        }
        rows.push((label, weights, line));
    }
    let categories = ratings.categories();
    let mut matrix = vec![vec![0.0; categories.len()]; categories.len()];
    for (k, a) in categories.iter().enumerate() {
        let Some((_, row, _)) = rows.iter().find(|(label, ..)| label == a) else {
            return Err(error(format!("`{}` has no row for the category `{a}`", path.display()), Some(hint), None));
        };
        for (l, b) in categories.iter().enumerate() {
            let Some(c) = columns.iter().position(|c| c == b) else {
                return Err(error(
                    format!("`{}` has no column for the category `{b}`", path.display()),
                    Some(hint),
                    None,
                ));
            };
            matrix[k][l] = row[c];
        }
    }
    Ok(NamedWeights {
        name: path.file_name().map_or_else(|| spec.to_owned(), |n| n.to_string_lossy().into_owned()),
        matrix,
    })
}

/// A CSV file of units marked on a continuum from `begin`, `length` long: columns coder, begin,
/// end, category (in any order, any case).
pub fn read_units(path: &Path, begin: u64, length: u64) -> Result<unitizing::Study, AnalysisError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(open(path)?);
    let header: Vec<String> =
        reader.headers().map_err(AnalysisError::Csv)?.iter().map(|h| h.trim().to_lowercase()).collect();
    let column = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| {
            error(
                format!("`{}` has no `{name}` column", path.display()),
                Some("columns: coder, begin, end, category"),
                None,
            )
        })
    };
    let (c_coder, c_begin, c_end, c_category) =
        (column("coder")?, column("begin")?, column("end")?, column("category")?);
    let mut coders: Vec<String> = Vec::new();
    let mut units = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let at = |message: String| error(format!("`{}`: line {line}: {message}", path.display()), None, None);
        let record = record.map_err(|e| at(e.to_string()))?;
        let number = |c: usize| -> Result<u64, AnalysisError> {
            record[c].trim().parse().map_err(|_| at(format!("`{}` is not a position", &record[c])))
        };
        let (start, end) = (number(c_begin)?, number(c_end)?);
        if end <= start {
            return Err(at(format!("the unit ends ({end}) before it begins ({start})")));
        }
        let coder = record[c_coder].trim().to_owned();
        let index = coders.iter().position(|c| c == &coder).unwrap_or_else(|| {
            coders.push(coder.clone());
            coders.len() - 1
        });
        units.push(Unit {
            begin: start,
            length: end - start,
            coder: index,
            category: record[c_category].trim().to_owned(),
        });
    }
    let study = unitizing::Study { begin, length, coders: coders.len(), units };
    study.validate().map_err(|e| error(format!("`{}`: {e}", path.display()), None, None))?;
    Ok(study)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), text).unwrap();
        f
    }

    #[test]
    fn ratings_skip_the_unit_column_and_empty_units() {
        let f = file("unit,a,b,c\n1,x,x,y\n2,,NA,\n3,y,,y\n");
        let read = read_ratings(f.path()).unwrap();
        assert_eq!(read.empty_lines, [3]);
        assert_eq!(read.labels, ["x", "y"]);
        assert_eq!(read.rows, [vec![Some(0), Some(0), Some(1)], vec![Some(1), None, Some(1)]]);
        let ratings = read.ratings(f.path()).unwrap();
        assert_eq!((ratings.units(), ratings.coders()), (2, 3));
        let ragged = file("a,b\nx,y,z\n");
        let err = read_ratings(ragged.path()).unwrap_err().to_string();
        assert!(err.starts_with(&format!("`{}`: line 2: ", ragged.path().display())), "{err}");
        let one = file("a\nx\n");
        let err = read_ratings(one.path()).unwrap().ratings(one.path()).unwrap_err();
        assert_eq!(err.hint().unwrap(), "one row a unit, one column a coder, with a header of coder names");
    }

    #[test]
    fn ratings_read_as_labels_are_the_ratings_read_as_text() {
        // Spaces, `NA` in any case, `1` and `1.0` (one number), a quoted cell over two lines.
        let f = file("unit,a,b,c\n1, 1 ,1.0,2\n2,na,\"2\n\",3\n3,3,Na,\n4,2.5,1,1\n");
        let read = read_ratings(f.path()).unwrap();
        assert_eq!(read.lines, [2, 3, 5, 6]);
        let text: Vec<Vec<Option<String>>> = vec![
            vec![Some("1".into()), Some("1.0".into()), Some("2".into())],
            vec![None, Some("2\n".into()), Some("3".into())],
            vec![Some("3".into()), None, None],
            vec![Some("2.5".into()), Some("1".into()), Some("1".into())],
        ];
        let (from_file, from_text) = (read.ratings(f.path()).unwrap(), Ratings::new(&text).unwrap());
        assert_eq!(from_file, from_text);
        assert_eq!(from_file.categories(), ["1", "2", "2.5", "3"]);
        // Choosing columns leaves a label no chosen coder used out of the categories.
        let chosen = read_ratings(f.path()).unwrap().select(f.path(), &["b".to_owned(), "c".to_owned()]).unwrap();
        assert_eq!(chosen.empty_lines, [5]);
        assert_eq!(chosen.ratings(f.path()).unwrap().categories(), ["1", "2", "3"]);
        // Words are sorted as text, and a file mixing words and numbers is not numeric.
        let words = file("a,b\nyes,no\nno,2\n");
        let words = read_ratings(words.path()).unwrap().ratings(words.path()).unwrap();
        assert_eq!(words.categories(), ["2", "no", "yes"]);
    }

    #[test]
    fn ratings_that_are_not_utf8_name_the_line() {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), b"a,b\nx,y\nx,\xff\xfe\n").unwrap();
        let err = read_ratings(f.path()).unwrap_err();
        assert_eq!(err.to_string(), format!("`{}`: line 3: a rating is not UTF-8 text", f.path().display()));
        assert_eq!(err.hint().unwrap(), "save the file as UTF-8");
    }

    #[test]
    fn units_name_file_and_line() {
        let f = file("Coder,Begin,End,Category\na,0,10,x\nb,2,10,x\n");
        let study = read_units(f.path(), 0, 40).unwrap();
        assert_eq!(study.coders, 2);
        assert_eq!(study.units[1], Unit { begin: 2, length: 8, coder: 1, category: "x".into() });
        let backwards = file("coder,begin,end,category\na,10,5,x\n");
        assert_eq!(
            read_units(backwards.path(), 0, 40).unwrap_err().to_string(),
            format!("`{}`: line 2: the unit ends (5) before it begins (10)", backwards.path().display())
        );
        let no_end = file("coder,begin,category\na,1,x\n");
        let err = read_units(no_end.path(), 0, 40).unwrap_err();
        assert_eq!(err.to_string(), format!("`{}` has no `end` column", no_end.path().display()));
        assert_eq!(err.hint().unwrap(), "columns: coder, begin, end, category");
        let word = file("coder,begin,end,category\na,one,5,x\n");
        assert!(read_units(word.path(), 0, 40).unwrap_err().to_string().ends_with("line 2: `one` is not a position"));
    }
}
