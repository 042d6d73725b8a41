// The BullMQ side of dev.redisstarter.benchmarks.queue.QueueBenchmark: one phase per process, measured against a
// redis-server the Java harness started (and flushed) before. Prints one line of JSON to stdout; anything else goes to
// stderr.
//
//   node bench.mjs --port 6379 --phase enqueue-single|enqueue-bulk|drain|latency
//       [--jobs 20000] [--warmup-jobs 5000] [--producers 16] [--batch 100] [--concurrency 16]
//       [--rate 200] [--seconds 5] [--warmup-seconds 1]
//
// Every phase is run once on a warm-up queue first (then obliterated), so that the measured run is not V8's first.
// Retention and leases are on, as an application would run it: jobs are added with removeOnComplete {count: 1000}
// and removeOnFail {count: 5000}; workers keep BullMQ's default lock (30 s, renewed every 15 s) and stalled check.
// The Redis counters (INFO commandstats, INFO cpu) are read just before and just after the measured window, by a
// connection of this script's own whose INFO calls are left out of the counts.

import { createRequire } from 'node:module';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';

const require = createRequire(import.meta.url);

const options = {
	host: '127.0.0.1',
	port: 0,
	phase: '',
	jobs: 20000,
	warmupJobs: 5000,
	producers: 16,
	batch: 100,
	concurrency: 16,
	rate: 200,
	seconds: 5,
	warmupSeconds: 1,
};
for (let i = 2; i + 1 < process.argv.length; i += 2) {
	const name = process.argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
	if (!(name in options)) {
		fail(`Unknown option ${process.argv[i]}`);
	}
	options[name] = (typeof options[name] === 'number') ? Number(process.argv[i + 1]) : process.argv[i + 1];
}
if (!options.port || !options.phase) {
	fail('Usage: node bench.mjs --port <port> --phase enqueue-single|enqueue-bulk|drain|latency [options]');
}

const connection = { host: options.host, port: options.port, maxRetriesPerRequest: null };
const jobOptions = { removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } };
const workerOptions = { connection, autorun: false, concurrency: options.concurrency };
const retention = 'job options removeOnComplete {count: 1000}, removeOnFail {count: 5000}; worker defaults: '
	+ 'lockDuration 30 s (renewed every 15 s), stalledInterval 30 s, maxStalledCount 1, drainDelay 5 s; '
	+ 'the queue\'s event stream at its default (capped at about 10,000 entries)';

// V8's collections, as Node.js reports them (a little after they happen).
const gc = { count: 0, ms: 0 };
new PerformanceObserver((list) => {
	for (const entry of list.getEntries()) {
		gc.count++;
		gc.ms += entry.duration;
	}
}).observe({ entryTypes: ['gc'] });

function fail(message) {
	process.stderr.write(message + '\n');
	process.exit(2);
}

// The payload every side sends: about 110 bytes of JSON, the same fields and values as the Java side's Task record.
function task(seq) {
	return {
		seq,
		kind: 'invoice.render',
		account: 'acct-' + String(seq % 1000).padStart(5, '0'),
		email: 'user-' + String(seq % 10000).padStart(4, '0') + '@example.com',
		createdAt: 1764633600000 + seq,
	};
}

async function counters(probe) {
	const byCommand = {};
	for (const line of (await probe.info('commandstats')).split(/\r?\n/)) {
		const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
		if (match && match[1] !== 'info') {
			byCommand[match[1]] = Number(match[2]);
		}
	}
	let redisCpu = 0;
	for (const line of (await probe.info('cpu')).split(/\r?\n/)) {
		const match = /^used_cpu_(sys|user):([\d.]+)/.exec(line);
		if (match) {
			redisCpu += Number(match[2]);
		}
	}
	const memory = /^used_memory:(\d+)/m.exec(await probe.info('memory'));
	return { byCommand, redisCpu, redisMemory: Number(memory[1]), clientCpu: process.cpuUsage(), gcCount: gc.count, gcMs: gc.ms, at: performance.now() };
}

function delta(before, after) {
	const byCommand = {};
	let commands = 0;
	for (const [name, calls] of Object.entries(after.byCommand)) {
		const d = calls - (before.byCommand[name] ?? 0);
		if (d > 0) {
			byCommand[name] = d;
			commands += d;
		}
	}
	const cpu = process.cpuUsage(before.clientCpu);
	return {
		seconds: (after.at - before.at) / 1000,
		commands,
		byCommand,
		redisCpuSeconds: after.redisCpu - before.redisCpu,
		redisMemoryBytes: after.redisMemory - before.redisMemory,
		clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
		gcCount: after.gcCount - before.gcCount,
		gcMillis: after.gcMs - before.gcMs,
	};
}

// Single adds: `producers` loops sharing one Queue (one connection), each awaiting its add before the next.
async function enqueueSingle(queue, jobs) {
	let next = 0;
	await Promise.all(Array.from({ length: options.producers }, async () => {
		for (let seq = next++; seq < jobs; seq = next++) {
			await queue.add('task', task(seq));
		}
	}));
}

// Bulk adds: one producer, addBulk of `batch` jobs at a time, each awaited before the next.
async function enqueueBulk(queue, jobs, batch = options.batch) {
	for (let from = 0; from < jobs; from += batch) {
		const bulk = [];
		for (let seq = from; seq < Math.min(from + batch, jobs); seq++) {
			bulk.push({ name: 'task', data: task(seq) });
		}
		await queue.addBulk(bulk);
	}
}

function newTally(jobs) {
	return { seen: new Uint8Array(jobs), handled: 0, duplicates: 0, completed: 0 };
}

function handle(tally, seq) {
	if (tally.seen[seq]++ > 0) {
		tally.duplicates++;
	}
	tally.handled++;
}

// A backlog of `jobs` (added in bulk, not measured), then a worker started; measured until the last job's
// 'completed' event, that is until BullMQ has moved every job to completed in Redis.
async function drain(name, jobs, probe) {
	const queue = new Queue(name, { connection, defaultJobOptions: jobOptions });
	await queue.waitUntilReady();
	await enqueueBulk(queue, jobs, 1000);
	const waiting = await queue.getWaitingCount();
	if (waiting !== jobs) {
		throw new Error(`The backlog holds ${waiting} jobs, not ${jobs}`);
	}
	const tally = newTally(jobs);
	let done;
	const finished = new Promise((resolve) => {
		done = resolve;
	});
	const worker = new Worker(name, async (job) => {
		handle(tally, job.data.seq);
	}, workerOptions);
	worker.on('completed', () => {
		if (++tally.completed === jobs) {
			done();
		}
	});
	worker.on('error', (error) => process.stderr.write(`worker error: ${error}\n`));
	await worker.waitUntilReady();
	const before = probe && await counters(probe);
	const running = worker.run();
	await finished;
	const after = probe && await counters(probe);
	await worker.close();
	await running;
	const left = await queue.getJobCounts('wait', 'active', 'completed', 'failed');
	await queue.close();
	return { tally, left, measured: probe && delta(before, after) };
}

// An idle worker; adds paced at `rate` per second for `seconds`, not awaited before the next one is due; the latency
// of a job is from just before its add call to the start of its handler.
async function latency(queue, worker, state, seconds) {
	const count = Math.round(options.rate * seconds);
	const interval = 1000 / options.rate;
	state.addedAt = new Float64Array(count).fill(NaN);
	state.latencies = new Float64Array(count).fill(NaN);
	state.tally = newTally(count);
	let done;
	const finished = new Promise((resolve) => {
		done = resolve;
	});
	state.onCompleted = () => {
		if (++state.tally.completed === count) {
			done();
		}
	};
	const adds = [];
	const start = performance.now();
	for (let seq = 0; seq < count; seq++) {
		const due = start + seq * interval;
		const wait = due - performance.now();
		if (wait > 0) {
			await new Promise((resolve) => setTimeout(resolve, wait));
		}
		state.addedAt[seq] = performance.now();
		adds.push(queue.add('task', task(seq)));
	}
	await Promise.all(adds);
	await finished;
	return Array.from(state.latencies).sort((a, b) => a - b);
}

function percentile(sorted, p) {
	const index = Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
	return sorted[Math.max(0, index)];
}

async function main() {
	const probe = new IORedis({ host: options.host, port: options.port, lazyConnect: true });
	await probe.connect();
	const result = {
		side: 'bullmq',
		phase: options.phase,
		bullmq: require('bullmq/package.json').version,
		ioredis: require('ioredis/package.json').version,
		node: process.version,
		retention,
	};
	switch (options.phase) {
		case 'enqueue-single':
		case 'enqueue-bulk': {
			const add = (options.phase === 'enqueue-single') ? enqueueSingle : enqueueBulk;
			const warmup = new Queue('warmup', { connection, defaultJobOptions: jobOptions });
			await add(warmup, options.warmupJobs);
			await warmup.obliterate({ force: true });
			await warmup.close();
			const queue = new Queue('bench', { connection, defaultJobOptions: jobOptions });
			await queue.waitUntilReady();
			const before = await counters(probe);
			await add(queue, options.jobs);
			const after = await counters(probe);
			const waiting = await queue.getWaitingCount();
			await queue.close();
			Object.assign(result, { jobs: options.jobs, waiting, producers: (options.phase === 'enqueue-single')
				? options.producers : 1, batch: (options.phase === 'enqueue-bulk') ? options.batch : 1 },
			delta(before, after));
			break;
		}
		case 'drain': {
			// A drain of 0 jobs would wait forever for its last completion.
			if (options.warmupJobs > 0) {
				await drain('warmup', options.warmupJobs, null);
				const warmup = new Queue('warmup', { connection });
				await warmup.obliterate({ force: true });
				await warmup.close();
			}
			const { tally, left, measured } = await drain('bench', options.jobs, probe);
			Object.assign(result, { jobs: options.jobs, concurrency: options.concurrency, handled: tally.handled,
				duplicates: tally.duplicates, missing: tally.seen.filter((n) => n === 0).length, left }, measured);
			break;
		}
		case 'latency': {
			const queue = new Queue('bench', { connection, defaultJobOptions: jobOptions });
			await queue.waitUntilReady();
			const state = {};
			const worker = new Worker('bench', async (job) => {
				const seq = job.data.seq;
				state.latencies[seq] = performance.now() - state.addedAt[seq];
				handle(state.tally, seq);
			}, workerOptions);
			worker.on('completed', () => state.onCompleted());
			worker.on('error', (error) => process.stderr.write(`worker error: ${error}\n`));
			await worker.waitUntilReady();
			const running = worker.run();
			await new Promise((resolve) => setTimeout(resolve, 500));
			await latency(queue, worker, state, options.warmupSeconds);
			await new Promise((resolve) => setTimeout(resolve, 200));
			const before = await counters(probe);
			const sorted = await latency(queue, worker, state, options.seconds);
			const after = await counters(probe);
			await worker.close();
			await running;
			await queue.close();
			Object.assign(result, { jobs: sorted.length, concurrency: options.concurrency, rate: options.rate,
				handled: state.tally.handled, duplicates: state.tally.duplicates,
				p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1],
				meanMs: sorted.reduce((a, b) => a + b, 0) / sorted.length }, delta(before, after));
			break;
		}
		default:
			fail(`Unknown phase ${options.phase}`);
	}
	probe.disconnect();
	process.stdout.write(JSON.stringify(result) + '\n');
}

main().then(() => process.exit(0), (error) => {
	process.stderr.write(`${error?.stack ?? error}\n`);
	process.exit(1);
});
