#include "ui/json_renderer.hpp"
#include "ui/overloaded.hpp"

#include <nlohmann/json.hpp>

namespace tgget::ui {
namespace {

using nlohmann::json;

}  // namespace

void JsonRenderer::on_event(const Event& event, TimePoint now) {
  // A finished file's state goes: a batch of thousands keeps only what is active.
  auto forget = [this](FileId id) {
    last_progress_.erase(id);
    sizes_.erase(id);
  };
  json j;
  std::visit(Overloaded{
                 [&](const FileStarted& e) {
                   sizes_[e.id] = e.size;
                   last_progress_.erase(e.id);
                   j = {{"type", "start"}, {"id", e.id}, {"name", e.name}, {"size", e.size}, {"resumed_bytes", e.resumed_bytes}};
                 },
                 [&](const FileProgress& e) {
                   auto it = last_progress_.find(e.id);
                   if (it != last_progress_.end() && now - it->second < options_.progress_interval) return;
                   last_progress_[e.id] = now;
                   j = {{"type", "progress"}, {"id", e.id}, {"bytes_done", e.bytes_done}, {"size", sizes_[e.id]}};
                 },
                 [&](const FileWaiting& e) {
                   j = {{"type", "wait"}, {"id", e.id}, {"seconds", e.seconds}, {"reason", e.reason}};
                 },
                 [&](const FileRetry& e) { j = {{"type", "retry"}, {"id", e.id}, {"reason", e.reason}}; },
                 [&](const FileDone& e) {
                   forget(e.id);
                   j = {{"type", "done"},         {"id", e.id},          {"path", e.path},
                        {"size", e.size},         {"sha256", e.sha256_hex}, {"verified", e.verified},
                        {"unverified_bytes", e.unverified_bytes}, {"resumed_bytes", e.resumed_bytes},
                        {"retries", e.retries},   {"reissued", e.reissued}, {"hash_mismatches", e.hash_mismatches},
                        {"reference_refreshes", e.reference_refreshes}, {"waited_s", e.waited_s}};
                 },
                 [&](const FileSkipped& e) {
                   forget(e.id);
                   j = {{"type", "skipped"}, {"id", e.id}, {"name", e.name}, {"why", e.why}};
                 },
                 [&](const FileFailed& e) {
                   forget(e.id);
                   j = {{"type", "error"}, {"id", e.id}, {"name", e.name}, {"code", e.code}, {"message", e.message},
                        {"retry_after", e.retry_after ? json(*e.retry_after) : json(nullptr)}};
                 },
                 [&](const Summary& e) {
                   j = {{"type", "summary"},          {"files_done", e.files_done}, {"files_failed", e.files_failed},
                        {"files_skipped", e.files_skipped}, {"bytes", e.bytes},     {"seconds", e.seconds},
                        {"retries", e.retries},        {"waited_s", e.waited_s}};
                 },
             },
             event);
  if (j.is_null()) return;
  // Names from Telegram may hold invalid UTF-8: replaced (U+FFFD), never an exception mid-batch.
  out_ << j.dump(-1, ' ', false, json::error_handler_t::replace) << '\n' << std::flush;
}

}  // namespace tgget::ui
