//! Step-by-step derivations (being written).
