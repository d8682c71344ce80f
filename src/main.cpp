// tgget: command-line Telegram downloader. The command line grows with the client stack (issue 4+).
#include <CLI/CLI.hpp>
#include <fmt/core.h>

int main(int argc, char** argv) {
  CLI::App app{"tgget: fast, resumable Telegram downloader"};
  app.set_version_flag("--version", std::string("tgget ") + TGGET_VERSION);
  app.require_subcommand(0, 1);
  CLI11_PARSE(app, argc, argv);
  if (app.get_subcommands().empty()) {
    fmt::print("{}", app.help());
  }
  return 0;
}
