#pragma once
// tgget download LINK -o FILE, and tgget resume: a link resolved to its file, the file's job found
// or created in the job store (state directory), its parts fetched by the engine with a plain
// progress line on stderr, the finished file renamed into place and recorded with its SHA-256.
#include <CLI/CLI.hpp>

#include "app.hpp"

namespace tgget {

void add_download_commands(CLI::App& app, const SettingsFactory& make_settings, const OutputOptions& output,
                           int& exit_code);

}  // namespace tgget
