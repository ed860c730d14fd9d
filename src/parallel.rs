//! Work split across the machine's cores.

use std::cell::Cell;

thread_local! {
    /// Whether this thread is one of [`map`]'s workers.
    static IN_WORKER: Cell<bool> = const { Cell::new(false) };
}

/// `f` of each item, in order: the items are cut into one contiguous
/// chunk per core and the chunks' results joined in order, so the result
/// is the one a single thread would give. Each thread gets `stack` bytes
/// of stack (only the pages it touches are committed). Called from one of
/// its own workers, it runs on that worker: the cores are busy already.
pub fn map<T: Sync, R: Send>(items: &[T], stack: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if IN_WORKER.get() {
        return items.iter().map(f).collect();
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(cores).max(1);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                let work = move || {
                    IN_WORKER.set(true);
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
