//! Work spread over the machine's cores (a department laptop has at least two): sheets are
//! independent until they are matched to the plan, and until they are put in a workbook.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Fewer items than this are not worth a thread.
const MIN_ITEMS: usize = 8;
const MAX_THREADS: usize = 8;

thread_local! {
    /// Set while a thread does one item of `for_each_alone_in_order`: what that item spreads
    /// stays on the thread, the other cores having items of their own.
    static ALONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The threads work may use: one per core, at most `MAX_THREADS`.
fn cores() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
}

fn threads_for(items: usize) -> usize {
    if items < MIN_ITEMS || ALONE.get() {
        return 1;
    }
    cores().min(items / (MIN_ITEMS / 2))
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

/// `work` over every item on the cores, each result handed to `sink` on the calling thread in
/// item order as soon as it and those before it are done. At most `window` items are taken
/// ahead of the sink (what bounds the results held), and the workers live for the whole run,
/// so the allocator's arenas they fill are reused rather than made again for each round of
/// `map_in_order`. Stops at the sink's first error; a panic in a worker is raised again here.
pub fn for_each_in_order<T, R, E>(
    items: &[T],
    window: usize,
    work: impl Fn(&T) -> R + Sync,
    sink: impl FnMut(usize, R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
{
    in_order(
        items,
        threads_for(items.len()),
        window,
        || (),
        |_, x| work(x),
        sink,
        false,
    )
}

/// `for_each_in_order` over a few large items (the workbooks of a merge): as many at once as
/// there are cores, each worked on by one thread alone, whatever `work` would spread over the
/// cores itself (reading one workbook on two threads parses its strings and styles twice).
/// One item, or one core: `work` spreads as it would.
pub fn for_each_alone_in_order<T, R, E>(
    items: &[T],
    work: impl Fn(&T) -> R + Sync,
    sink: impl FnMut(usize, R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
{
    let threads = cores().min(items.len());
    if threads <= 1 {
        return in_order(items, 1, 1, || (), |_, x| work(x), sink, false);
    }
    let alone = |x: &T| {
        struct Reset;
        impl Drop for Reset {
            fn drop(&mut self) {
                ALONE.set(false);
            }
        }
        ALONE.set(true);
        let _reset = Reset;
        work(x)
    };
    in_order(items, threads, threads, || (), |_, x| alone(x), sink, true)
}

/// `for_each_in_order` where each worker has its own state from `init` (an open workbook), as
/// in `map_in_order`, and the calling thread works too while the next result in order is not
/// ready: one thread per core in all, as the sink is light (an import applying a sheet),
/// instead of one more thread than cores, which measured 10 % slower.
pub fn for_each_in_order_with<T, S, R, E>(
    items: &[T],
    window: usize,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &T) -> R + Sync,
    sink: impl FnMut(usize, R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
{
    in_order(
        items,
        threads_for(items.len()),
        window,
        init,
        work,
        sink,
        true,
    )
}

#[allow(clippy::too_many_arguments)]
fn in_order<T, S, R, E>(
    items: &[T],
    threads: usize,
    window: usize,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &T) -> R + Sync,
    mut sink: impl FnMut(usize, R) -> Result<(), E>,
    help: bool,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
{
    if threads <= 1 {
        let mut state = init();
        for (i, x) in items.iter().enumerate() {
            sink(i, work(&mut state, x))?;
        }
        return Ok(());
    }
    let window = window.max(threads);
    let (ticket_tx, ticket_rx) = std::sync::mpsc::channel::<usize>();
    let tickets = std::sync::Mutex::new(ticket_rx);
    std::thread::scope(|s| {
        // Owned here, so an early return or a panic drops them before the scope joins the
        // workers: their next ticket or result then fails and they stop.
        let ticket_tx = ticket_tx;
        let (done_tx, done_rx) = std::sync::mpsc::channel::<(usize, std::thread::Result<R>)>();
        for _ in 0..threads - usize::from(help) {
            let done_tx = done_tx.clone();
            let (tickets, work, init) = (&tickets, &work, &init);
            s.spawn(move || {
                let mut state = None;
                loop {
                    let ticket = match tickets.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => break,
                    };
                    let Ok(i) = ticket else { break };
                    let Some(item) = items.get(i) else { break };
                    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        work(state.get_or_insert_with(init), item)
                    }));
                    if done_tx.send((i, r)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        let mut issued = 0;
        let issue = |issued: &mut usize| {
            if *issued < items.len() {
                // The workers hold the receiver until this sender is dropped.
                let _ = ticket_tx.send(*issued);
                *issued += 1;
            }
        };
        while issued < window.min(items.len()) {
            issue(&mut issued);
        }
        let mut ready = std::collections::BTreeMap::new();
        let mut next = 0;
        let mut own = None;
        while next < items.len() {
            while let Some(r) = ready.remove(&next) {
                match r {
                    Ok(r) => sink(next, r)?,
                    Err(panic) => std::panic::resume_unwind(panic),
                }
                next += 1;
                issue(&mut issued);
            }
            if next >= items.len() {
                break;
            }
            if help {
                if let Ok((i, r)) = done_rx.try_recv() {
                    ready.insert(i, r);
                    continue;
                }
                // A worker waiting for a ticket holds the lock: then there is none to take.
                let ticket = tickets.try_lock().ok().and_then(|rx| rx.try_recv().ok());
                if let Some(item) = ticket.and_then(|i| items.get(i).map(|x| (i, x))) {
                    let state = own.get_or_insert_with(&init);
                    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        work(state, item.1)
                    }));
                    ready.insert(item.0, r);
                    continue;
                }
            }
            let Ok((i, r)) = done_rx.recv() else { break };
            ready.insert(i, r);
        }
        Ok(())
    })
}

/// What a caught panic said (its `&str` or `String` payload), for the error that reports it.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
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
    fn results_reach_the_sink_in_order_with_few_held() {
        let items: Vec<u32> = (0..500).collect();
        let held = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let mut got = Vec::new();
        for_each_in_order(
            &items,
            6,
            |x| {
                let h = held.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(h, Ordering::SeqCst);
                x * 3
            },
            |i, r| {
                held.fetch_sub(1, Ordering::SeqCst);
                got.push((i, r));
                Ok::<(), ()>(())
            },
        )
        .expect("no error");
        let want: Vec<(usize, u32)> = items.iter().map(|x| (*x as usize, x * 3)).collect();
        assert_eq!(got, want);
        assert!(most.load(Ordering::SeqCst) <= 6, "{most:?}");
        // The sink's first error stops the run.
        let mut seen = 0;
        let r = for_each_in_order(
            &items,
            4,
            |x| *x,
            |i, _| {
                seen += 1;
                if i == 40 {
                    Err(i)
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!((r, seen), (Err(40), 41));
        // A worker's panic reaches the caller.
        let caught = std::panic::catch_unwind(|| {
            for_each_in_order(
                &items,
                4,
                |x| if *x == 99 { panic!("item 99") } else { *x },
                |_, _| Ok::<(), ()>(()),
            )
        });
        assert!(caught.is_err());
    }

    #[test]
    fn the_calling_thread_helps_and_results_stay_in_order() {
        let items: Vec<u32> = (0..2000).collect();
        let caller = std::thread::current().id();
        let by_caller = AtomicUsize::new(0);
        let mut got = Vec::new();
        for_each_in_order_with(
            &items,
            8,
            || std::thread::current().id(),
            |me, x| {
                if *me == caller {
                    by_caller.fetch_add(1, Ordering::SeqCst);
                }
                // Uneven items, as sheets are.
                let spin = if x % 7 == 0 { 20_000 } else { 100 };
                (0..spin).fold(*x, |a, b| a.wrapping_add(b % 3))
                    - (0..spin).map(|b| b % 3).sum::<u32>()
            },
            |i, r| {
                got.push((i, r));
                Ok::<(), ()>(())
            },
        )
        .expect("no error");
        let want: Vec<(usize, u32)> = items.iter().map(|x| (*x as usize, *x)).collect();
        assert_eq!(got, want);
        if threads_for(items.len()) > 1 {
            assert!(
                by_caller.load(Ordering::SeqCst) > 0,
                "the caller read nothing"
            );
        }
        let caught = std::panic::catch_unwind(|| {
            for_each_in_order_with(
                &items,
                4,
                || (),
                |_, x| if *x == 999 { panic!("item 999") } else { *x },
                |_, _| Ok::<(), ()>(()),
            )
        });
        assert!(caught.is_err());
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
        assert_eq!(panic_message(payload.as_ref()), "sheet 77 is broken");
    }

    #[test]
    fn items_worked_alone_keep_their_inner_work_on_their_thread() {
        // Each item spreads work of its own (a workbook's sheets); with several items at once
        // that work stays on the item's thread, and the results still come in order.
        let items: Vec<u32> = (0..12).collect();
        let inner: Vec<u32> = (0..64).collect();
        let mut seen = Vec::new();
        for_each_alone_in_order(
            &items,
            |x| {
                let me = std::thread::current().id();
                let threads = map_in_order(&inner, || (), |_, _| std::thread::current().id());
                // What the inner work may spread over, and where it ran.
                let alone = threads_for(inner.len()) == 1 && threads.iter().all(|t| *t == me);
                (*x, alone)
            },
            |i, (x, alone)| {
                assert_eq!(i as u32, x);
                seen.push(alone);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert_eq!(seen.len(), items.len());
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if cores > 1 {
            assert!(seen.iter().all(|a| *a), "inner work left its item's thread");
        }
        // Afterwards, work is spread again (also on the threads that worked alone: the calling
        // thread helps).
        assert!(!ALONE.get());
        assert_eq!(threads_for(inner.len()) > 1, cores > 1);
    }
}
