// SPDX-License-Identifier: GPL-2.0

//! The storage tree of `daos_sys_query`: cages hold racks, racks hold
//! nodes, nodes hold targets. A query names a subtree (a cage, a rack, a
//! node, or the whole tree) and a depth, and gets the footprints of a
//! preorder walk of that subtree, cut at the depth.
//!
//! The seed's depth rules, as levels below the subtree's root: the whole
//! tree has four (cages, racks, nodes, targets), a cage three, a rack two,
//! a node one; depth 0, or one at or past the number of levels, walks them
//! all; otherwise the first `depth` levels.

/// A level of the tree, as the seed's `daos_loc_type_t` numbers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    Cage = 1,
    Rack = 2,
    Node = 3,
    Target = 4,
}

/// Where a target sits, and its ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Place {
    pub(crate) cage: u32,
    pub(crate) rack: u32,
    pub(crate) node: u32,
    pub(crate) target: u32,
}

impl Place {
    fn at(&self, level: Level) -> u32 {
        match level {
            Level::Cage => self.cage,
            Level::Rack => self.rack,
            Level::Node => self.node,
            Level::Target => self.target,
        }
    }
}

/// The subtree a query names: `None` for an unknown (unset) part. A part
/// after an unknown one is ignored, as the seed reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Subtree {
    pub(crate) cage: Option<u32>,
    pub(crate) rack: Option<u32>,
    pub(crate) node: Option<u32>,
}

impl Subtree {
    /// The levels fixed by the query, and the first level walked.
    fn fixed(&self) -> (usize, Level) {
        match (self.cage, self.rack, self.node) {
            (None, _, _) => (0, Level::Cage),
            (Some(_), None, _) => (1, Level::Rack),
            (Some(_), Some(_), None) => (2, Level::Node),
            (Some(_), Some(_), Some(_)) => (3, Level::Target),
        }
    }

    fn contains(&self, p: &Place) -> bool {
        let (fixed, _) = self.fixed();
        let want = [self.cage, self.rack, self.node];
        let have = [p.cage, p.rack, p.node];
        (0..fixed).all(|i| want[i] == Some(have[i]))
    }
}

const LEVELS: [Level; 4] = [Level::Cage, Level::Rack, Level::Node, Level::Target];

/// Walks the subtree of `places` (sorted, as `Place` orders them) that `q`
/// names, `depth` levels deep, calling `f(level, id)` for each footprint in
/// preorder. Returns how many there were.
pub(crate) fn walk(places: &[Place], q: Subtree, depth: u32, mut f: impl FnMut(Level, u32)) -> usize {
    let (fixed, _) = q.fixed();
    let levels = 4 - fixed;
    let deep = match depth as usize {
        0 => levels,
        d if d >= levels => levels,
        d => d,
    };
    let walked = &LEVELS[fixed..fixed + deep];
    let mut count = 0;
    let mut prev: Option<&Place> = None;
    for p in places.iter().filter(|p| q.contains(p)) {
        // The first walked level where this place leaves the previous one's
        // path: from there down, each level is a new footprint.
        let first_new = match prev {
            None => 0,
            Some(old) => walked.iter().position(|l| old.at(*l) != p.at(*l)).unwrap_or(walked.len()),
        };
        for l in &walked[first_new..] {
            f(*l, p.at(*l));
            count += 1;
        }
        prev = Some(p);
    }
    count
}
