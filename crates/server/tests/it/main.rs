//! Integration tests of the whole application as the server wires it.

mod demo;
mod isolation;
