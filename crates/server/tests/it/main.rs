//! Integration tests of the whole application as the server wires it.

mod cli;
mod copy;
mod demo;
mod errors;
mod hostile;
mod hostile_forms;
mod isolation;
mod law;
mod meetings;
mod mycases;
mod pdf_worker;
mod pii;
mod shutdown;
mod tokens;
