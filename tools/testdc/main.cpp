// tgget-testdc: serves a small Telegram world over real MTProto 2.0 (see README "Test DC").
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>

#include <CLI/CLI.hpp>

#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <vector>

#include "api_call.hpp"
#include "control_port.hpp"
#include "env_file.hpp"
#include "layer_bridge.hpp"
#include "layer_directory.hpp"
#include "tl/api.hpp"
#include "listener.hpp"
#include "server_core.hpp"
#include "server_keys.hpp"
#include "server_state.hpp"
#include "world.hpp"

namespace {

struct ConditionFlags {
  std::optional<std::uint64_t> seed;
  std::optional<std::int64_t> bandwidth_per_connection;
  std::optional<std::int64_t> bandwidth_per_account;
  std::optional<int> latency_ms;
  std::optional<int> flood_requests_per_second;
  std::optional<int> flood_wait_seconds;
  std::optional<int> premium_parallel_limit;
  std::optional<std::int64_t> reset_every_bytes;
  std::optional<std::int64_t> stall_after_bytes;
  std::optional<int> stall_connections;
  std::optional<std::string> corrupt_range;   // already checked by parse_byte_range
  std::optional<std::string> corrupt_hashes;  // likewise
  std::optional<int> corrupt_times;
  std::optional<std::int64_t> premium_rate_limit;
  std::optional<int> premium_rate_window_ms;
  std::optional<int> premium_wait_seconds;
  std::optional<double> rpc_error_500_rate;
  bool out_of_order = false;
  std::optional<int> file_reference_lifetime_s;
  std::optional<int> clock_offset_s;
  bool force_bad_salt = false;
  bool strict = false;
  std::optional<std::string> handshake_fault;  // already checked against the known names
  std::vector<std::string> hostile_files;      // likewise (hostile_file_names)
  std::vector<std::string> hostile;            // --hostile NAME (repeatable), checked against the known names

  void apply(testdc::Conditions& c) const {
    if (seed) c.seed = *seed;
    if (bandwidth_per_connection) c.bandwidth_per_connection = *bandwidth_per_connection;
    if (bandwidth_per_account) c.bandwidth_per_account = *bandwidth_per_account;
    if (latency_ms) c.latency_ms = *latency_ms;
    if (flood_requests_per_second) c.flood_requests_per_second = *flood_requests_per_second;
    if (flood_wait_seconds) c.flood_wait_seconds = *flood_wait_seconds;
    if (premium_parallel_limit) c.premium_parallel_limit = *premium_parallel_limit;
    if (reset_every_bytes) c.reset_every_bytes = *reset_every_bytes;
    if (stall_after_bytes) c.stall_after_bytes = *stall_after_bytes;
    if (stall_connections) c.stall_connections = *stall_connections;
    if (corrupt_range) c.corrupt_range = testdc::parse_byte_range(*corrupt_range).value();
    if (corrupt_hashes) c.corrupt_hashes = testdc::parse_byte_range(*corrupt_hashes).value();
    if (corrupt_times) c.corrupt_times = *corrupt_times;
    if (premium_rate_limit) c.premium_rate_limit = *premium_rate_limit;
    if (premium_rate_window_ms) c.premium_rate_window_ms = *premium_rate_window_ms;
    if (premium_wait_seconds) c.premium_wait_seconds = *premium_wait_seconds;
    if (rpc_error_500_rate) c.rpc_error_500_rate = *rpc_error_500_rate;
    if (out_of_order) c.out_of_order = true;
    if (file_reference_lifetime_s) c.file_reference_lifetime_s = *file_reference_lifetime_s;
    if (clock_offset_s) c.clock_offset_s = *clock_offset_s;
    if (force_bad_salt) c.force_bad_salt = true;
    if (strict) c.strict = true;
    if (handshake_fault) c.handshake_fault = mtp::auth::handshake_fault_from_name(*handshake_fault).value();
    for (const auto& name : hostile_files) c.hostile_files.insert(*testdc::hostile_file_from_name(name));
    for (const auto& name : hostile) c.hostile.insert(testdc::hostility_from_name(name).value());
  }
};

// CLI11 validator: "" when the text is OFFSET:LENGTH, else why not.
std::string check_byte_range(const std::string& text) {
  auto parsed = testdc::parse_byte_range(text);
  return parsed ? std::string() : parsed.error().detail;
}

int fail(const std::string& what) {
  std::fprintf(stderr, "tgget-testdc: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tgget-testdc: a multi-DC MTProto test server"};
  std::string manifest, serve_dir, host = "127.0.0.1", key_file, env_file, log_file, summary_file;
  std::string state_dir = ".tgget-testdc";
  std::string layers_dir;
  int port_base = 0;
  std::optional<int> control_port;
  bool sample = false;
  ConditionFlags flags;
  auto* source = app.add_option_group("world", "what to serve");
  source->add_option("--manifest", manifest,
                     "JSON manifest of the world (README 'Test DC'). Documents: \"file\" or \"generate\": {size, seed} "
                     "(made on the fly), \"key\" and {\"same_as\": key} to re-post one, \"file_name\" served byte for "
                     "byte (null: no name attribute). Chats: \"members\" (their dialogs; who may read a chat without "
                     "username), \"megagroup\", \"forum\" with \"topics\": [{title, icon_color, messages}], "
                     "\"linked_chat\" (a channel's discussion group) with a post's \"comments\"; messages: \"reply_to\", "
                     "\"from\" (a phone), \"grouped_id\" (albums)")
      ->check(CLI::ExistingFile);
  source->add_option("--serve-dir", serve_dir, "publish every file of DIR in channel tgdemo")->check(CLI::ExistingDirectory);
  source->add_flag("--sample-world", sample,
                   std::string("the demo's world, every file generated on the fly (nothing stored; --seed sets the ids and "
                               "access hashes): ") +
                       testdc::sample_world_description());
  source->require_option(1);
  app.add_option("--host", host, "address to listen on")->capture_default_str();
  app.add_option("--port-base", port_base, "DC k listens on N+k, media addresses on N+100+k; 0 = ephemeral");
  app.add_option("--key-file", key_file, "server RSA private key (PEM); generated if missing (default: STATE/server_key.pem)");
  app.add_option("--write-env", env_file, "write TGGET_SERVER=... for clients to FILE");
  app.add_option("--control-port", control_port,
                 "listen on HOST:N (0: an ephemeral port, written to --write-env as TGGET_TESTDC_CONTROL) for "
                 "commands that change the world while it is served, one line each, answered with one line: "
                 "'post CHAT [text=T] [size=N] [seed=S] [name=F] [mime=M] [dc=K] [grouped_id=G] [reply_to=ID] "
                 "[topic=ID] [from=PHONE]' -> 'ok id=ID date=D [document_id=X access_hash=H] [copy=ID]' once "
                 "the message is visible to every client; 'ping' -> 'ok'; failures -> 'error WHAT'. CHAT is "
                 "@username or the chat id; values are %-decoded (%20 space, %00 NUL); size=N attaches a "
                 "document of N bytes generated from seed S (default 1), named F (no file name without name=); "
                 "a post in a channel with a discussion group is copied there (copy=). Logged as method 'control'")
      ->check(CLI::Range(0, 65535));
  app.add_option("--log", log_file, "one line per RPC to FILE");
  app.add_option("--summary", summary_file, "write the call summary to FILE on exit");
  app.add_option("--state-dir", state_dir, "where the key lives")->capture_default_str();
  app.add_option("--seed", flags.seed, "seed of every random condition");
  app.add_option("--bandwidth-per-connection", flags.bandwidth_per_connection, "bytes/s per connection");
  app.add_option("--bandwidth-per-account", flags.bandwidth_per_account, "bytes/s per account");
  app.add_option("--latency-ms", flags.latency_ms, "added before each response");
  app.add_option("--flood-rps", flags.flood_requests_per_second, "requests per second per auth key before FLOOD_WAIT");
  app.add_option("--flood-wait", flags.flood_wait_seconds, "the X of FLOOD_WAIT_X");
  app.add_option("--premium-parallel-limit", flags.premium_parallel_limit, "concurrent getFile of non-premium accounts before FLOOD_PREMIUM_WAIT");
  app.add_option("--reset-every-bytes", flags.reset_every_bytes, "close a connection after sending this many bytes; each reset is a log line with method 'reset'");
  app.add_option("--stall-after-bytes", flags.stall_after_bytes,
                 "fault: after sending this many bytes a connection stays open but sends nothing more (no "
                 "answers, acks or pongs; what the client sends is read and dropped); every connection has its own "
                 "budget, so a client that opens a new one recovers; logged as method 'stall'")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--stall-connections", flags.stall_connections,
                 "only the first K connections (of the whole server run) that reach --stall-after-bytes stall; "
                 "0 = every one (default)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--corrupt-range", flags.corrupt_range,
                 "fault: upload.getFile answers overlapping file bytes OFFSET:LENGTH (of any document) carry those "
                 "bytes inverted (XOR 0xff) while upload.getFileHashes tells the truth; logged with detail "
                 "'corrupt bytes OFFSET:LENGTH'")
      ->check(check_byte_range, "OFFSET:LENGTH");
  app.add_option("--corrupt-hashes", flags.corrupt_hashes,
                 "fault: upload.getFileHashes lies (inverted SHA-256) for the 128 KiB windows overlapping "
                 "OFFSET:LENGTH while upload.getFile is right; logged with detail 'corrupt hashes OFFSET:LENGTH'")
      ->check(check_byte_range, "OFFSET:LENGTH");
  app.add_option("--corrupt-times", flags.corrupt_times,
                 "answers corrupted per document by --corrupt-range and, separately, by --corrupt-hashes; later "
                 "ones are right (default 1; 0 = every one)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--premium-rate-limit", flags.premium_rate_limit,
                 "non-premium accounts: upload.getFile bytes per second (summed over their connections and DCs, "
                 "over a sliding window) before FLOOD_PREMIUM_WAIT_X; 0 = off")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--premium-rate-window-ms", flags.premium_rate_window_ms,
                 "the sliding window of --premium-rate-limit (default 1000)")
      ->check(CLI::PositiveNumber);
  app.add_option("--premium-wait", flags.premium_wait_seconds,
                 "the X of FLOOD_PREMIUM_WAIT_X from --premium-rate-limit (default 3)")
      ->check(CLI::PositiveNumber);
  app.add_option("--rpc-error-500-rate", flags.rpc_error_500_rate, "fraction of calls answered 500 INTERNAL")->check(CLI::Range(0.0, 1.0));
  app.add_flag("--out-of-order", flags.out_of_order, "answer requests out of order");
  app.add_option("--file-reference-lifetime", flags.file_reference_lifetime_s, "seconds before FILE_REFERENCE_EXPIRED");
  app.add_option("--clock-offset", flags.clock_offset_s, "seconds the server clock runs ahead (negative: behind)");
  app.add_flag("--force-bad-salt", flags.force_bad_salt, "answer each session's first content message with bad_server_salt");
  app.add_option("--handshake-fault", flags.handshake_fault, "make the auth-key handshake lie (for client tests)")
      ->check(CLI::IsMember({"none", "unknown-fingerprint", "bad-dh-prime", "g-a-out-of-range", "bad-nonce"}));
  app.add_option("--hostile", flags.hostile,
                 "lie at the protocol level this way (repeatable; for client tests, see hostile.hpp): " +
                     testdc::hostility_names())
      ->check([](const std::string& name) {
        return testdc::hostility_from_name(name) ? std::string() : "unknown hostility " + name + " (known: " + testdc::hostility_names() + ")";
      });
  app.add_flag("--strict", flags.strict,
               "refuse what Telegram tolerates but MTProto forbids (msgs_ack with an odd seq_no...) with "
               "bad_msg_notification; without it such messages are served and logged as deviations");
  app.add_option("--hostile-file", flags.hostile_files,
                 "fault (repeatable): long-answer[-always] (getFile sends 4096 bytes more than asked: the first "
                 "answer of each range, or all), short-answer[-always] (half a part in the middle of the file), "
                 "unstable-bytes (the first answer of each range has flipped bytes; getFileHashes is right), "
                 "document-changes / document-id-changes (after two getFile calls of a document its size / id "
                 "changes: old references answer FILE_REFERENCE_EXPIRED, the message shows the new version); "
                 "logged with detail 'hostile NAME'")
      ->check(CLI::IsMember(testdc::hostile_file_names()))
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--layers-dir", layers_dir,
                 "official api-layerN.tl schemas to serve older clients in their exact layer (default: " +
                     testdc::layers::default_layers_dir().string() + " when it exists; without it only layer " +
                     std::to_string(mtp::tl::api::kLayer) + " is served)")
      ->check(CLI::ExistingDirectory);
  CLI11_PARSE(app, argc, argv);

  std::optional<std::filesystem::path> layers;
  if (!layers_dir.empty()) layers = layers_dir;
  else if (std::error_code ec; std::filesystem::is_directory(testdc::layers::default_layers_dir(), ec)) {
    layers = testdc::layers::default_layers_dir();
  }
  auto served = testdc::configure_layers(layers);
  if (!served) return fail("layer schemas: " + served.error().to_string());
  std::fprintf(stderr, "tgget-testdc: serving %s\n", served->c_str());
  if (!layers) {
    std::fprintf(stderr, "tgget-testdc: no layer directory (%s missing): clients of older layers are refused\n",
                 testdc::layers::default_layers_dir().string().c_str());
  }

  auto world = !manifest.empty() ? testdc::load_manifest_file(manifest)
               : sample         ? testdc::sample_world(flags.seed.value_or(testdc::Conditions{}.seed))
                                : testdc::world_from_directory(serve_dir);
  if (!world) return fail("cannot load the world: " + world.error().to_string());
  flags.apply(world->conditions);

  const std::filesystem::path state(state_dir);
  if (key_file.empty()) key_file = (state / "server_key.pem").string();
  auto key = testdc::load_or_create_key(key_file);
  if (!key) return fail("server key " + key_file + ": " + key.error().to_string());
  const auto public_key = state / "server_key.pub.pem";
  if (auto s = testdc::write_public_key(*key, public_key); !s) return fail(s.error().to_string());

  asio::io_context io(1);
  testdc::ServerState server_state(std::move(*world));
  if (!log_file.empty() && !server_state.log().open(log_file)) return fail("cannot open log " + log_file);
  testdc::ServerCore core(server_state, std::move(*key), &testdc::handle_api_call);
  testdc::Listeners listeners(io.get_executor(), core);
  if (auto s = listeners.start({host, port_base}); !s) return fail(s.error().to_string());

  testdc::ControlPort control(io.get_executor(), server_state);
  std::string control_address;
  if (control_port) {
    auto bound = control.start(host, *control_port);
    if (!bound) return fail(bound.error().to_string());
    control_address = host + ":" + std::to_string(*bound);
    std::fprintf(stderr, "tgget-testdc: control port on %s\n", control_address.c_str());
  }

  const int home_dc = server_state.world().home_dc;
  const auto* home = listeners.main_address(home_dc);
  if (home == nullptr) return fail("the home DC " + std::to_string(home_dc) + " is not in the world");
  if (!env_file.empty()) {
    if (auto s = testdc::write_env_file(env_file, server_state.world(), {host, home->port, home_dc, public_key, control_address}); !s) {
      return fail(s.error().to_string());
    }
  }
  for (const auto& a : listeners.addresses()) {
    std::fprintf(stderr, "tgget-testdc: DC %d%s on %s:%d\n", a.dc, a.media_only ? " (media)" : "", a.host.c_str(), a.port);
  }

  asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](const std::error_code& ec, int) {
    if (ec) return;
    listeners.stop();
    control.stop();
    io.stop();
  });
  std::signal(SIGPIPE, SIG_IGN);
  std::cout << "READY" << std::endl;
  io.run();

  const std::string summary = server_state.log().summary();
  std::fputs(summary.c_str(), stderr);
  // For "CPU seconds per GiB served" measurements.
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::fprintf(stderr, "tgget-testdc: cpu user %.3f s, system %.3f s\n",
               static_cast<double>(usage.ru_utime.tv_sec) + static_cast<double>(usage.ru_utime.tv_usec) * 1e-6,
               static_cast<double>(usage.ru_stime.tv_sec) + static_cast<double>(usage.ru_stime.tv_usec) * 1e-6);
  if (!summary_file.empty()) {
    std::ofstream out(summary_file, std::ios::trunc);
    out << summary;
  }
  return 0;
}
