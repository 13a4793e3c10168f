//! [`Memo`]: the last few values a pure function made, kept by the inputs they were made from,
//! so that a figure redrawn with most of its inputs unchanged reuses the part they make.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

/// The last `capacity` values made, each with its key: every input its maker reads. A key
/// equal to a kept one gets the kept value; since the maker is pure, it is the value the maker
/// would make again. A key that is not equal to itself (one holding a NaN) is never found, only
/// made again.
pub(crate) struct Memo<K, V> {
    capacity: usize,
    /// Most recently used first.
    entries: Mutex<VecDeque<(K, Arc<V>)>>,
}

impl<K: PartialEq, V> Memo<K, V> {
    /// An empty memo keeping at most `capacity` values.
    pub(crate) const fn new(capacity: usize) -> Memo<K, V> {
        Memo {
            capacity,
            entries: Mutex::new(VecDeque::new()),
        }
    }

    /// The value kept for `key`, else the one `make` makes, then kept (the least recently used
    /// one forgotten when full). `make` runs without the lock held, so two threads may make
    /// the same value; an error is not kept.
    pub(crate) fn get_or_make<E>(
        &self,
        key: K,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<Arc<V>, E> {
        {
            let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(i) = entries.iter().position(|(k, _)| *k == key) {
                let entry = entries.remove(i).expect("a found position");
                let value = Arc::clone(&entry.1);
                entries.push_front(entry);
                return Ok(value);
            }
        }
        let value = Arc::new(make()?);
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.push_front((key, Arc::clone(&value)));
        entries.truncate(self.capacity);
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_key_is_not_made_again_and_the_least_recently_used_goes_first() {
        let memo: Memo<f64, f64> = Memo::new(2);
        let made = std::cell::Cell::new(0);
        let square = |x: f64| {
            memo.get_or_make(x, || {
                made.set(made.get() + 1);
                Ok::<_, ()>(x * x)
            })
            .map(|v| *v)
        };
        assert_eq!(square(3.0), Ok(9.0));
        assert_eq!(square(3.0), Ok(9.0));
        assert_eq!(made.get(), 1);
        square(4.0).unwrap();
        square(3.0).unwrap(); // 3 is now the most recently used, 4 the least
        square(5.0).unwrap(); // forgets 4
        assert_eq!(made.get(), 3);
        square(3.0).unwrap();
        assert_eq!(made.get(), 3);
        square(4.0).unwrap();
        assert_eq!(made.get(), 4);
        // NaN is never equal to itself: made every time, never a wrong value.
        assert!(square(f64::NAN).unwrap().is_nan());
        assert!(square(f64::NAN).unwrap().is_nan());
        assert_eq!(made.get(), 6);
    }

    #[test]
    fn an_error_is_not_kept() {
        let memo: Memo<u8, u8> = Memo::new(2);
        assert_eq!(memo.get_or_make(1, || Err("no")), Err("no"));
        assert_eq!(memo.get_or_make(1, || Ok::<_, &str>(7)).map(|v| *v), Ok(7));
    }
}
