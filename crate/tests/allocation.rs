//! The memory a run checks against the budget is the memory it takes: a counting allocator
//! measures the peak of a single chain and of a denoising-score-matching fit against their
//! estimates. One test in this binary, so no other test allocates at the same time.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::reference_2d;
use scorelab::prelude::*;

/// The system allocator, counting the bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::SeqCst);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `work`; returns its result, the most bytes it had allocated at once beyond what was in
/// use before, and the bytes it left allocated (its result).
fn measure<T>(work: impl FnOnce() -> T) -> (T, usize, usize) {
    let before = IN_USE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let out = work();
    let peak = PEAK.load(Ordering::SeqCst) - before;
    let kept = IN_USE.load(Ordering::SeqCst).saturating_sub(before);
    (out, peak, kept)
}

/// Other allocations of a run (the progress line's state, the sampler's per-level segments):
/// a few kilobytes at most.
const SLACK: usize = 16 << 10;

#[test]
fn runs_allocate_what_the_budget_was_checked_against() {
    let gm = reference_2d();
    for (steps, every) in [(200_000, 1), (1_000_000, 10), (999_999, 1000), (300_000, 7)] {
        let estimate = Trajectory::memory_estimate(2, steps, Record::Every(every));
        let (path, peak, kept) = measure(|| {
            Ula::new(0.01)
                .unwrap()
                .record(Record::Every(every))
                .run(&gm, &[0.0, 0.0], steps, 1)
                .unwrap()
        });
        assert!(
            (estimate..=estimate + SLACK).contains(&peak),
            "{steps} steps, every {every}: peak {peak} B, estimate {estimate} B"
        );
        // What stays is the states and their step numbers: (d + 1) of the (d + 3) words, and
        // at most the slack: a run over a second prints a progress line, and the first line
        // printed keeps the output's buffer.
        let states = path.len() * 3 * 8;
        assert!(
            (states..=states + SLACK).contains(&kept),
            "{steps} steps, every {every}: kept {kept} B, states {states} B"
        );
        assert_eq!(estimate, path.len() * 5 * 8);

        let (chain, peak, _) = measure(|| {
            Mala::new(0.01)
                .unwrap()
                .record(Record::Every(every))
                .run(&gm, &[0.0, 0.0], steps, 1)
                .unwrap()
        });
        assert!(
            (estimate..=estimate + SLACK).contains(&peak),
            "MALA, {steps} steps, every {every}: peak {peak} B, estimate {estimate} B"
        );
        assert_eq!(chain.len(), path.len());
    }

    // A fit's peak stays within its estimate (fewer tasks may run at once than are counted).
    let features = RbfFeatures::grid(2, -4.0..=4.0, 20).unwrap();
    let data = Particles::sample(&gm, 5000, 1).unwrap();
    let estimate = LinearScore::memory_estimate(features.len(), 2);
    let (_, peak, _) = measure(|| LinearScore::dsm(0.5).fit(&features, &data, 1).unwrap());
    let system = features.len() * (features.len() + 2) * 8;
    assert!(
        (2 * system..=estimate + SLACK).contains(&peak),
        "fit: peak {peak} B, estimate {estimate} B"
    );
}
