// --sample-world: the channel tools/demo downloads from, with nothing on disk: every document is
// generated from its seed, so a 200 MiB file costs no storage and the same seed gives the same bytes.
#include <nlohmann/json.hpp>

#include "world.hpp"

namespace testdc {

const char* sample_world_description() {
  return "account 15550000001 (code 12345, @tgdemo_user) and public channel @tgdemo: 1 text only; 2 report.pdf "
         "(300 KiB); 3-5 an album (grouped_id 5001) of clip1.mp4 (2 MiB), clip2.mp4 (3 MiB, on DC 4), clip3.mp4 "
         "(1 MiB); 6 big.bin (200 MiB); 7 archive.zip (5 MiB); document k generated with seed k (generate.seed)";
}

mtp::Result<World> sample_world(std::uint64_t seed) {
  using json = nlohmann::json;
  constexpr std::int64_t kKiB = 1024, kMiB = 1024 * 1024;
  auto doc = [](std::int64_t size, int doc_seed, const char* name, const char* mime, int dc = 2) {
    return json{{"generate", {{"size", size}, {"seed", doc_seed}}}, {"file_name", name}, {"mime_type", mime}, {"dc", dc}};
  };
  auto video = [&](std::int64_t size, int doc_seed, const char* name, int dc = 2) {
    json d = doc(size, doc_seed, name, "video/mp4", dc);
    d["video"] = {{"duration", 10.0}, {"w", 1280}, {"h", 720}};
    return d;
  };
  json messages = json::array({
      {{"text", "Welcome to the tgget demo channel (this message has no file)"}},
      {{"text", "Monthly report"}, {"document", doc(300 * kKiB, 2, "report.pdf", "application/pdf")}},
      {{"text", "Three clips"}, {"grouped_id", 5001}, {"document", video(2 * kMiB, 3, "clip1.mp4")}},
      {{"grouped_id", 5001}, {"document", video(3 * kMiB, 4, "clip2.mp4", 4)}},
      {{"grouped_id", 5001}, {"document", video(1 * kMiB, 5, "clip3.mp4")}},
      {{"text", "A big one"}, {"document", doc(200 * kMiB, 6, "big.bin", "application/octet-stream")}},
      {{"text", "Everything zipped"}, {"document", doc(5 * kMiB, 7, "archive.zip", "application/zip")}},
  });
  json manifest = {
      {"conditions", {{"seed", seed}}},
      {"accounts", json::array({{{"phone", "15550000001"}, {"code", "12345"}, {"first_name", "Demo"}, {"username", "tgdemo_user"}}})},
      {"channels", json::array({{{"username", "tgdemo"}, {"title", "tgget demo"}, {"members", json::array({"15550000001"})},
                                 {"messages", messages}}})},
  };
  return load_manifest(manifest.dump(), {});
}

}  // namespace testdc
