//! Fuzz target: reading the sync receiver's replies. A container controls what its exec
//! prints, so any split of any bytes over stdout, stderr and a console must give an ack, a
//! typed end, or "not yet" — never a panic, and never a buffer that grows with the input.
#![no_main]

use devbox::engine::sync::receiver::reply_from_chunks;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u64, Vec<(u8, Vec<u8>)>)| {
    let (seq, chunks) = input;
    let _ = reply_from_chunks(chunks, seq % 4);
});
