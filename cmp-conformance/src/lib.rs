//! CMP conformance runner (work in progress).
