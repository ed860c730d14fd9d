//! Work split across the machine's cores.

use std::cell::Cell;

thread_local! {
    /// Whether this thread is one of the workers of a [`map`] that has a
    /// worker on every core.
    static CORES_BUSY: Cell<bool> = const { Cell::new(false) };
}

/// `f` of each item, in order: the items are cut into one contiguous
/// chunk per core and the chunks' results joined in order, so the result
/// is the one a single thread would give. Each thread gets `stack` bytes
/// of stack (only the pages it touches are committed). Called from a
/// worker of a `map` that keeps every core busy, it runs on that worker.
pub fn map<T: Sync, R: Send>(items: &[T], stack: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if CORES_BUSY.get() {
        return items.iter().map(f).collect();
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(cores).max(1);
    let busy = items.len() >= cores;
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                let work = move || {
                    CORES_BUSY.set(busy);
                    part.iter().map(f).collect::<Vec<R>>()
                };
                std::thread::Builder::new()
                    .stack_size(stack)
                    .spawn_scoped(scope, work)
                    .expect("a worker thread starts")
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker thread does not panic"))
            .collect()
    })
}

/// The stack of a thread that needs nothing special: what a program's
/// main thread usually has.
pub const DEFAULT_STACK: usize = 8 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_order_of_the_items_nested_or_not() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled = map(&items, DEFAULT_STACK, |&x| 2 * x);
        assert_eq!(doubled, items.iter().map(|&x| 2 * x).collect::<Vec<_>>());
        let nested = map(&items[..4], DEFAULT_STACK, |&x| {
            map(&items[..3], DEFAULT_STACK, |&y| x * 10 + y)
        });
        assert_eq!(nested[3], [30, 31, 32]);
        assert!(map(&[] as &[u32], DEFAULT_STACK, |&x| x).is_empty());
    }
}
