//! Work split across the machine's cores.

/// `f` of each item, in order: the items are cut into one contiguous
/// chunk per core and the chunks' results joined in order, so the result
/// is the one a single thread would give. Each thread gets `stack` bytes
/// of stack (only the pages it touches are committed).
pub fn map<T: Sync, R: Send>(items: &[T], stack: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(cores).max(1);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                std::thread::Builder::new()
                    .stack_size(stack)
                    .spawn_scoped(scope, move || part.iter().map(f).collect::<Vec<R>>())
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
