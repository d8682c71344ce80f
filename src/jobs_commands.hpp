#pragma once
// tgget status (every job: state, size, progress, last error; --json) and tgget forget (a job,
// or every finished one: the archive forgets them, the files stay).
#include <CLI/CLI.hpp>

#include "app.hpp"

namespace tgget {

void add_jobs_commands(CLI::App& app, const SettingsFactory& make_settings, const OutputOptions& output,
                       int& exit_code);

}  // namespace tgget
