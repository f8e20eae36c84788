//! Importers for official files (being written).
