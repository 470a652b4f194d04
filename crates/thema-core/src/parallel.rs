//! Work split over the machine's cores: many small files to read or documents to count, in
//! parts of equal length, each part on a thread of its own, the results in the items' order.

/// `part` applied to `items` cut into as many parts of equal length as there are cores (at most
/// 8), each on a thread of its own; the results in the parts' order. Fewer than `at_least` items,
/// or one core, make one part on this thread. A panic in a part is resumed here.
pub fn in_parts<T, R, F>(items: &[T], at_least: usize, part: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&[T]) -> R + Sync,
{
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get).min(8);
    if threads < 2 || items.len() < at_least.max(2) {
        return vec![part(items)];
    }
    let share = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items.chunks(share).map(|chunk| scope.spawn(|| part(chunk))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    })
}

/// [`in_parts`] with `each` applied to every item: the results in the items' order, or the first
/// error in that order.
pub fn each_in_parts<T, R, E, F>(items: &[T], at_least: usize, each: F) -> Result<Vec<R>, E>
where
    T: Sync,
    R: Send,
    E: Send,
    F: Fn(&T) -> Result<R, E> + Sync,
{
    let parts = in_parts(items, at_least, |part| part.iter().map(&each).collect::<Result<Vec<R>, E>>());
    let mut out = Vec::with_capacity(items.len());
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_keep_the_order_and_the_first_error_wins() {
        let items: Vec<u32> = (0..1000).collect();
        assert_eq!(in_parts(&items, 16, <[u32]>::to_vec).concat(), items);
        assert_eq!(each_in_parts(&items, 16, |i| Ok::<_, ()>(i * 2)).unwrap()[999], 1998);
        let first_bad = each_in_parts(&items, 16, |&i| if i % 300 == 299 { Err(i) } else { Ok(i) });
        assert_eq!(first_bad, Err(299));
        // Few items: one part, here.
        assert_eq!(in_parts(&items[..3], 16, <[u32]>::len), [3]);
    }
}
