//! Work spread over the machine's cores (a department laptop has at least two): sheets are
//! independent until they are matched to the plan, and until they are put in a workbook.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Fewer items than this are not worth a thread.
const MIN_ITEMS: usize = 8;
const MAX_THREADS: usize = 8;

fn threads_for(items: usize) -> usize {
    if items < MIN_ITEMS {
        return 1;
    }
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
        .min(items / (MIN_ITEMS / 2))
}

/// `work` over every item, the results in item order. Each thread takes the next item as it
/// finishes one (sheets differ in size) and has its own state from `init` (an open workbook:
/// calamine's readers are not shared between threads). A panic in a worker is raised again
/// here with its own message, so callers that catch panics still see what failed.
pub fn map_in_order<T, S, R>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let threads = threads_for(items.len());
    if threads <= 1 {
        let mut state = init();
        return items.iter().map(|x| work(&mut state, x)).collect();
    }
    let next = AtomicUsize::new(0);
    let run = || {
        let mut state = init();
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            done.push((i, work(&mut state, item)));
        }
        done
    };
    let mut all: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads).map(|_| s.spawn(run)).collect();
        let mut all = run();
        for h in handles {
            match h.join() {
                Ok(part) => all.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    });
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

/// Drops `t` on a thread of its own. Freeing a large workbook or plan copy (hundreds of
/// thousands of small allocations) takes as long as a step of the work; nobody waits for it.
pub fn drop_in_background<T: Send + 'static>(t: T) {
    // Should no thread start, the closure, and `t` with it, is dropped here.
    let _ = std::thread::Builder::new()
        .name("dxplan-free".into())
        .spawn(move || drop(t));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_item_order_and_state_is_per_thread() {
        let items: Vec<u32> = (0..1000).collect();
        let out = map_in_order(
            &items,
            || 0u32,
            |calls, x| {
                *calls += 1;
                x * 2
            },
        );
        assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
    }

    #[test]
    fn a_worker_panic_reaches_the_caller_with_its_message() {
        let items: Vec<u32> = (0..100).collect();
        let caught = std::panic::catch_unwind(|| {
            map_in_order(
                &items,
                || (),
                |_, x| {
                    if *x == 77 {
                        panic!("sheet 77 is broken")
                    } else {
                        *x
                    }
                },
            )
        });
        let payload = caught.expect_err("panics");
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned());
        assert_eq!(msg.as_deref(), Some("sheet 77 is broken"));
    }
}
