//! The form definition language: versioned JSON definitions, their linter, the expression
//! language for conditions and fees, and validation of a citizen's answers. Pure: no database,
//! no HTTP.
