//! Label scan: the nodes with a pattern node's labels (from its smallest
//! label), or every node.

use crate::store::{Graph, NodeId};

/// The nodes a scan for `labels` visits: those of the label with the
/// fewest nodes (the others are checked on each), or every node.
pub(in crate::eval) fn scan<'g>(g: &'g Graph, labels: &[String]) -> std::borrow::Cow<'g, [NodeId]> {
    match labels.iter().map(|l| g.nodes_with_label(l)).min_by_key(|n| n.len()) {
        Some(smallest) => std::borrow::Cow::Borrowed(smallest),
        None => std::borrow::Cow::Owned(g.nodes().collect()),
    }
}
