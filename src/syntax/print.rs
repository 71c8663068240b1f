//! Prints syntax trees back as query text.
