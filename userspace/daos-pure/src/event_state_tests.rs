// SPDX-License-Identifier: GPL-2.0

//! Every (state, input) pair of the event state machine, against a table
//! written out from the design (DESIGN.md, "Events and event queues").

use crate::pure::event_state::{transition, EvInput, EvRefusal, EvState};

use EvInput as I;
use EvRefusal::{Busy, Invalid};
use EvState as S;

const STATES: [EvState; 4] = [S::None, S::Dispatch, S::Abort, S::Complete];
const INPUTS: [EvInput; 5] = [I::Dispatch, I::Abort, I::Complete, I::Deliver, I::Fini];

/// The expected machine, one row per state, one column per input in
/// `INPUTS` order.
fn expected(s: EvState, i: EvInput) -> Result<EvState, EvRefusal> {
    let row: [Result<EvState, EvRefusal>; 5] = match s {
        //              Dispatch        Abort            Complete          Deliver        Fini
        S::None => [Ok(S::Dispatch), Err(Invalid), Err(Invalid), Err(Invalid), Ok(S::None)],
        S::Dispatch => [Err(Busy), Ok(S::Abort), Ok(S::Complete), Err(Invalid), Err(Busy)],
        S::Abort => [Err(Busy), Ok(S::Abort), Ok(S::Complete), Err(Invalid), Err(Busy)],
        S::Complete => [Err(Busy), Ok(S::Complete), Err(Invalid), Ok(S::None), Ok(S::None)],
    };
    row[INPUTS.iter().position(|&x| x == i).unwrap()]
}

#[test]
fn every_state_input_pair() {
    let mut checked = 0;
    for s in STATES {
        for i in INPUTS {
            assert_eq!(transition(s, i), expected(s, i), "state {s:?} input {i:?}");
            checked += 1;
        }
    }
    assert_eq!(checked, 20);
}

#[test]
fn in_flight_is_dispatch_or_abort() {
    assert_eq!(STATES.map(EvState::in_flight), [false, true, true, false]);
}
