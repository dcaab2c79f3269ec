// SPDX-License-Identifier: GPL-2.0

//! The storage tree walk of `daos_sys_query`.

use crate::pure::topology::*;


fn place(cage: u32, rack: u32, node: u32, target: u32) -> Place {
    Place {
        cage,
        rack,
        node,
        target,
    }
}

fn tree() -> Vec<Place> {
    let mut v = std::vec![
        place(0, 0, 0, 0),
        place(0, 0, 0, 1),
        place(0, 0, 1, 2),
        place(0, 1, 0, 3),
        place(1, 0, 0, 4),
    ];
    v.sort();
    v
}

fn run(q: Subtree, depth: u32) -> Vec<(Level, u32)> {
    let mut out = Vec::new();
    let n = walk(&tree(), q, depth, |l, id| out.push((l, id)));
    assert_eq!(n, out.len());
    out
}

const ALL: Subtree = Subtree {
    cage: None,
    rack: None,
    node: None,
};

#[test]
fn whole_tree_in_preorder() {
    use Level::*;
    let want = std::vec![
        (Cage, 0),
        (Rack, 0),
        (Node, 0),
        (Target, 0),
        (Target, 1),
        (Node, 1),
        (Target, 2),
        (Rack, 1),
        (Node, 0),
        (Target, 3),
        (Cage, 1),
        (Rack, 0),
        (Node, 0),
        (Target, 4),
    ];
    assert_eq!(run(ALL, 0), want);
    assert_eq!(run(ALL, 4), want);
    assert_eq!(run(ALL, 9), want);
}

#[test]
fn depth_cuts_the_walk() {
    use Level::*;
    assert_eq!(run(ALL, 1), std::vec![(Cage, 0), (Cage, 1)]);
    assert_eq!(run(ALL, 2), std::vec![(Cage, 0), (Rack, 0), (Rack, 1), (Cage, 1), (Rack, 0)]);
    assert_eq!(run(ALL, 3).len(), 9);
}

#[test]
fn a_cage_a_rack_and_a_node_are_subtrees() {
    use Level::*;
    let cage0 = Subtree {
        cage: Some(0),
        ..ALL
    };
    assert_eq!(run(cage0, 1), std::vec![(Rack, 0), (Rack, 1)]);
    assert_eq!(run(cage0, 0).len(), 9);
    assert_eq!(run(cage0, 3).len(), 9);
    let rack = Subtree {
        cage: Some(0),
        rack: Some(0),
        node: None,
    };
    assert_eq!(run(rack, 1), std::vec![(Node, 0), (Node, 1)]);
    assert_eq!(run(rack, 2), std::vec![(Node, 0), (Target, 0), (Target, 1), (Node, 1), (Target, 2)]);
    let node = Subtree {
        cage: Some(0),
        rack: Some(0),
        node: Some(0),
    };
    // Any depth: the node's targets.
    assert_eq!(run(node, 0), std::vec![(Target, 0), (Target, 1)]);
    assert_eq!(run(node, 1), run(node, 7));
    let nowhere = Subtree {
        cage: Some(5),
        ..ALL
    };
    assert_eq!(run(nowhere, 0), std::vec![]);
}
