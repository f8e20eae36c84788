//! Embedded gazetteer (being written).
