#pragma once
// tgget login / whoami / logout.
#include <CLI/CLI.hpp>

#include "app.hpp"

namespace tgget {

// Registers the three commands on `app`; each runs through `run` when chosen.
void add_account_commands(CLI::App& app, const SettingsFactory& make_settings, const OutputOptions& output, int& exit_code);

}  // namespace tgget
