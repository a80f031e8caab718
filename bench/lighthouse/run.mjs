// Runs Lighthouse (performance category, the default mobile settings) on a list of URLs, a
// number of times each, in one Chromium: the runner of bench/page_speed.py.
//
//   node bench/lighthouse/run.mjs JOB.json > RESULTS.jsonl
//
// JOB.json: {"urls": [...], "runs": 3, "chromePath": "/usr/bin/chromium",
//            "chromeFlags": ["--headless", ...], "reportDir": null | "folder"}
// Runs go round-robin (every URL once, then every URL again), so that a slow moment of a
// shared machine falls on different URLs rather than on all runs of one. One JSON line per
// run goes to stdout; progress to stderr. Lighthouse resets the cache and storage of the
// origin before each run, as its command line does; reusing the browser saves the 4-5 s that
// starting Node, Lighthouse and Chromium takes per run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const chrome = await chromeLauncher.launch({
  chromePath: job.chromePath,
  chromeFlags: job.chromeFlags,
  logLevel: 'silent',
});
const flags = {
  port: chrome.port,
  output: 'json',
  logLevel: 'error',
  onlyCategories: ['performance'],
  disableFullPageScreenshot: true,
};

function numeric(audits, id) {
  const audit = audits[id];
  return audit && typeof audit.numericValue === 'number' ? audit.numericValue : null;
}

function summary(url, run, lhr, seconds) {
  const audits = lhr.audits;
  const items = audits['network-requests']?.details?.items ?? [];
  return {
    url,
    run,
    seconds,
    loadAverage: os.loadavg()[0],
    lighthouseVersion: lhr.lighthouseVersion,
    formFactor: lhr.configSettings.formFactor,
    throttlingMethod: lhr.configSettings.throttlingMethod,
    benchmarkIndex: lhr.environment?.benchmarkIndex ?? null,
    runtimeError: lhr.runtimeError ?? null,
    runWarnings: lhr.runWarnings ?? [],
    score: lhr.categories.performance.score === null ? null : lhr.categories.performance.score * 100,
    fcp: numeric(audits, 'first-contentful-paint'),
    lcp: numeric(audits, 'largest-contentful-paint'),
    tbt: numeric(audits, 'total-blocking-time'),
    cls: numeric(audits, 'cumulative-layout-shift'),
    speedIndex: numeric(audits, 'speed-index'),
    totalBytes: numeric(audits, 'total-byte-weight'),
    requests: items.map((item) => ({
      url: item.url,
      transferSize: item.transferSize ?? 0,
      resourceType: item.resourceType ?? null,
      statusCode: item.statusCode ?? null,
    })),
  };
}

let failed = 0;
try {
  for (let run = 1; run <= job.runs; run++) {
    for (const url of job.urls) {
      const started = Date.now();
      let line;
      try {
        const result = await lighthouse(url, flags);
        const seconds = (Date.now() - started) / 1000;
        line = summary(url, run, result.lhr, seconds);
        if (job.reportDir) {
          const name = `${url.replace(/^https?:\/\/[^/]+\//, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'home'}-${run}.json`;
          fs.writeFileSync(path.join(job.reportDir, name), result.report);
        }
      } catch (error) {
        failed++;
        line = { url, run, runtimeError: { code: 'RUNNER', message: String(error) } };
      }
      process.stdout.write(JSON.stringify(line) + '\n');
      const score = line.score === undefined || line.score === null ? '-' : Math.round(line.score);
      process.stderr.write(`lighthouse: run ${run}/${job.runs} ${url} score ${score}\n`);
    }
  }
} finally {
  await chrome.kill();
}
process.exit(failed ? 1 : 0);
