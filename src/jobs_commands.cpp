#include "jobs_commands.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "engine/part_planner.hpp"
#include "storage/job_store.hpp"

namespace tgget {
namespace {

// Bytes on disk for good: all of a finished job, the durable parts of another (0 when its saved
// plan does not load: it starts over).
std::uint64_t durable_bytes(const storage::Job& j) {
  if (j.state == storage::JobState::kDone) return j.spec.size;
  if (j.plan.empty()) return 0;
  auto plan = engine::PartPlanner::restore(j.plan, j.spec.size, j.spec.part_size);
  return plan ? plan->bytes_durable() : 0;
}

void print_jobs(const std::vector<storage::Job>& jobs, bool json) {
  for (const auto& j : jobs) {
    const std::uint64_t done = durable_bytes(j);
    if (json) {
      nlohmann::json o{{"job", j.id},
                       {"state", std::string(storage::to_string(j.state))},
                       {"link", j.spec.link},
                       {"path", j.spec.output_path.string()},
                       {"size", j.spec.size},
                       {"bytes_done", done},
                       {"document_id", j.spec.document_id},
                       {"error", j.error},
                       {"updated_at", j.updated_at}};
      if (j.sha256) o["sha256"] = mtp::to_hex(*j.sha256);
      fmt::print("{}\n", o.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      continue;
    }
    const double pct = j.spec.size ? 100.0 * static_cast<double>(done) / static_cast<double>(j.spec.size) : 100.0;
    fmt::print("{:>5}  {:<7} {:>6.1f}%  {:>10.1f} MB  {}  {}{}\n", j.id, storage::to_string(j.state), pct,
               j.spec.size / 1e6, j.spec.link, j.spec.output_path.string(), j.error.empty() ? "" : "  (" + j.error + ")");
  }
}

// The job store of the settings' state directory; nullptr (the error reported, exit_code set) when
// either cannot be had.
std::unique_ptr<storage::JobStore> open_store(const SettingsFactory& make_settings, int& exit_code) {
  auto made = make_settings();
  if (!made) {
    exit_code = report_error("settings", made.error());
    return nullptr;
  }
  auto store = storage::JobStore::open(made->home());
  if (!store) {
    exit_code = report_error("job store", store.error());
    return nullptr;
  }
  return std::move(*store);
}

}  // namespace

void add_jobs_commands(CLI::App& app, const SettingsFactory& make_settings, const OutputOptions& output,
                       int& exit_code) {
  auto* status = app.add_subcommand("status", "list the downloads tgget knows: state, size, progress, last error");
  status->callback([&make_settings, &output, &exit_code] {
    auto store = open_store(make_settings, exit_code);
    if (!store) return;
    auto jobs = store->all();
    if (!jobs) {
      exit_code = report_error("job store", jobs.error());
      return;
    }
    if (jobs->empty() && !output.json && !output.quiet) fmt::print(stderr, "tgget: no downloads yet\n");
    print_jobs(*jobs, output.json);
    exit_code = kExitOk;
  });

  auto ids = std::make_shared<std::vector<std::int64_t>>();
  auto finished = std::make_shared<bool>(false);
  auto* forget = app.add_subcommand("forget", "drop jobs from the state (the files stay): JOB... or --finished");
  forget->add_option("job", *ids, "job ids (tgget status lists them)");
  forget->add_flag("--finished", *finished, "every finished job (the archive forgets them: they may be fetched again)");
  forget->callback([&make_settings, &output, &exit_code, ids, finished] {
    if (ids->empty() == !*finished) {
      exit_code = report_error("forget", mtp::Error::local(mtp::kErrInvalidArgument, "USAGE", "give job ids or --finished"));
      return;
    }
    auto store = open_store(make_settings, exit_code);
    if (!store) return;
    exit_code = kExitOk;
    if (*finished) {
      auto n = store->forget_finished();
      if (!n) {
        exit_code = report_error("job store", n.error());
        return;
      }
      if (!output.quiet) fmt::print(stderr, "tgget: forgot {} finished job(s)\n", *n);
      return;
    }
    for (auto id : *ids) {
      if (auto lock = store->lock_job(id); !lock) {
        exit_code = report_error("forget", lock.error());
        continue;
      }
      if (auto s = store->forget(id); !s) exit_code = report_error("forget", s.error());
    }
  });
}

}  // namespace tgget
