use super::*;

#[test]
fn datetimes_as_the_schema_wants_them() {
    for ok in ["2026-11-23T04:00:00Z", "2024-01-15T10:00:00", "2024-01-15T10:00:00.123+02:00"] {
        assert!(is_datetime(ok), "{ok}");
    }
    for bad in ["", "2026-11-23", "2026-11-23 04:00:00Z", "2026-11-23T04:00:00.Z", "yesterday"] {
        assert!(!is_datetime(bad), "{bad}");
    }
    assert_eq!(decimal("1e3"), "1000");
    assert_eq!(decimal("-2.50"), "-2.50");
}

#[test]
fn attribute_types_keep_declarations_only_when_every_value_fits() {
    let column = |values: &[(&str, Option<AttributeType>)]| {
        let vs = values.iter().map(|(v, k)| ((*v).to_owned(), *k)).collect();
        BTreeMap::from([("age".to_owned(), vs)])
    };
    let n = Some(AttributeType::Number);
    assert_eq!(attribute_types(column(&[("34", n), ("51", n)]), false)["age"], AttributeType::Number);
    // `Unassigned` among numbers: the declaration is dropped, and the values decide.
    let mixed = column(&[("34", n), ("Unassigned", None), ("34", n)]);
    assert_eq!(attribute_types(mixed.clone(), true)["age"], AttributeType::Category);
    assert!(attribute_types(mixed, false).is_empty());
    assert!(attribute_types(column(&[("x", None)]), false).is_empty(), "thema's own files declare what they mean");
}
