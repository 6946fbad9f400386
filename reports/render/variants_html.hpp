#pragma once
// The report's variant tables as HTML (section id "variants"): one <details id="variants-METRIC">
// per metric, readable without JavaScript (an index of links to the tables); the page's script
// adds a metric selector that shows one table at a time. Every name is escaped.

#include <string>

#include "reports/render/variants_model.hpp"

namespace perftrack::reports::render {

// Appends nothing when the section is not enabled.
void append_variants(std::string& out, const VariantsSection& section);

}  // namespace perftrack::reports::render
