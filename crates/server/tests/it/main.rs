//! Integration tests of the whole application as the server wires it.

mod cli;
mod demo;
mod hostile;
mod isolation;
mod pdf_worker;
