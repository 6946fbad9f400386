#pragma once
// The dashboard's reads (store/dashboard_reader.hpp) for PgStore.

#include <pqxx/pqxx>

#include "store/dashboard_reader.hpp"

namespace perftrack::store::pg {

std::vector<ProjectSummary> read_projects(pqxx::connection& conn);
std::vector<BranchHead> read_branch_heads(pqxx::connection& conn, const std::string& project);
std::optional<std::string> read_data_version(pqxx::connection& conn, const std::string& project);

}  // namespace perftrack::store::pg
