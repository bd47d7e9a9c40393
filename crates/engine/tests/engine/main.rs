//! The engine's behaviour suite: cycles and locks, and the unit runner.

mod caps;
mod cycle;
mod overlap;
mod support;
mod units;
mod units_support;
