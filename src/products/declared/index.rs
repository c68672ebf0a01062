//! Finding the declared routes a path names, in time that does not grow with their number: a
//! tree of path segments, literal children by text, one child for any parameter.

use std::collections::HashMap;

use super::route::Segment;

/// The routes of a set, by path.
#[derive(Debug, Default)]
pub(crate) struct Index {
    root: Node,
}

#[derive(Debug, Default)]
struct Node {
    literal: HashMap<String, Node>,
    param: Option<Box<Node>>,
    /// The routes whose path ends here, in declaration order.
    here: Vec<usize>,
}

impl Index {
    /// An index of routes given by their segments, numbered in order.
    pub(crate) fn build<'a>(paths: impl IntoIterator<Item = &'a [Segment]>) -> Index {
        let mut root = Node::default();
        for (number, segments) in paths.into_iter().enumerate() {
            let mut node = &mut root;
            for segment in segments {
                node = match segment {
                    Segment::Literal(text) => node.literal.entry(text.clone()).or_default(),
                    Segment::Param(_) => node.param.get_or_insert_with(Box::default),
                };
            }
            node.here.push(number);
        }
        Index { root }
    }

    /// The routes whose path takes `segments` (lower case), most specific first: at each
    /// segment a literal match before a parameter, then declaration order.
    pub(crate) fn on_path(&self, segments: &[&str]) -> Vec<usize> {
        let mut found = Vec::new();
        collect(&self.root, segments, &mut found);
        found
    }
}

fn collect(node: &Node, segments: &[&str], found: &mut Vec<usize>) {
    let Some((first, rest)) = segments.split_first() else {
        found.extend_from_slice(&node.here);
        return;
    };
    if let Some(child) = node.literal.get(*first) {
        collect(child, rest, found);
    }
    if let Some(child) = &node.param {
        collect(child, rest, found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(text: &str) -> Segment {
        Segment::Literal(text.to_owned())
    }

    fn param(name: &str) -> Segment {
        Segment::Param(name.to_owned())
    }

    #[test]
    fn literal_segments_come_before_parameters_then_declaration_order() {
        let paths = [
            vec![literal("v8"), literal("jobs"), param("id")],
            vec![literal("v8"), literal("jobs"), literal("current")],
            vec![param("version"), literal("jobs"), param("id")],
            vec![literal("v8"), literal("jobs")],
        ];
        let index = Index::build(paths.iter().map(Vec::as_slice));
        assert_eq!(index.on_path(&["v8", "jobs", "current"]), [1, 0, 2]);
        assert_eq!(index.on_path(&["v8", "jobs", "42"]), [0, 2]);
        assert_eq!(index.on_path(&["v7", "jobs", "42"]), [2]);
        assert_eq!(index.on_path(&["v8", "jobs"]), [3]);
        assert!(index.on_path(&["v8"]).is_empty());
        assert!(index.on_path(&["v8", "jobs", "1", "2"]).is_empty());
    }
}
