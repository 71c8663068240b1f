//! Builds a [`Graph`](crate::Graph) from data files (placeholder).
