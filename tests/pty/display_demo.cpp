// A scripted batch (three files, a wait, a retry, a failure, a log line in the middle) shown by
// the renderer the flags and the terminal choose, in real time: what tests/pty/display_test.py
// looks at on a pseudo-terminal and through a pipe. Usage: display_demo [auto|bar|plain|none] [--json]
#include <chrono>
#include <string>
#include <thread>

#include "display.hpp"
#include "log/log.hpp"
#include "log/logger.hpp"

int main(int argc, char** argv) {
  using namespace tgget;
  OutputOptions output;
  if (argc > 1) output.progress = argv[1];
  output.json = argc > 2 && std::string(argv[2]) == "--json";
  if (!log::init({log::Level::kInfo, std::nullopt})) return 2;
  {
    Display display(output);
    const std::uint64_t size = 8'000'000;
    display.emit(ui::FileStarted{1, "first-video.mp4", size, 0});
    display.emit(ui::FileStarted{2, "second \x1b[31mhostile\x1b[0m name.mkv", size, 2'000'000});
    display.emit(ui::FileStarted{3, "third.zip", size, 0});
    for (int step = 1; step <= 40; ++step) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      display.emit(ui::FileProgress{1, std::min<std::uint64_t>(size, step * 200'000u)});
      display.emit(ui::FileProgress{2, std::min<std::uint64_t>(size, 2'000'000u + step * 150'000u)});
      if (step == 10) display.emit(ui::FileWaiting{3, 1, "FLOOD_WAIT"});
      if (step == 15) display.emit(ui::FileRetry{2, "stall"});
      if (step == 20) log::warn("demo_warning", {{"dc", 4}});
      if (step == 25) display.emit(ui::FileFailed{3, "third.zip", "CHANNEL_PRIVATE", "channel is private", std::nullopt});
      display.tick();
    }
    display.emit(ui::FileDone{1, "dl/first-video.mp4", size, std::string(64, 'a'), true, 0});
    display.emit(ui::FileDone{2, "dl/second.mkv", size, std::string(64, 'b'), true, 0});
    display.emit(ui::Summary{2, 1, 0, 14'000'000, 0.8, 1, 1});
  }
  log::shutdown();
  return 0;
}
