#!/usr/bin/env python3
"""A GPU-backed intent-classify service for checking pipebench on a GPU node.

It speaks BetterPrompts' classify routes (POST /api/v1/intents/classify and .../classify/batch,
GET /api/v1/health; see src/targets/http/protocols/README.md) with a BERT-base-shaped encoder
(12 layers, hidden 768, 12 heads, sequence 128, random weights, fp16) behind a dynamic batcher:
requests wait up to --max-queue-delay-ms for up to --max-batch texts, then run as one forward
pass. --max-in-flight answers 503 with Retry-After past that many requests in flight, so a stress
run finds a known capacity. Only the standard library and PyTorch; binds 127.0.0.1.

    python3 gpu/torch-classify-server.py --port 8301 [--max-batch 64] [--max-in-flight 256]
    node dist/cli/bin.js run workloads/stress.yaml --target http://127.0.0.1:8301
"""
import argparse
import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor

import torch

INTENTS = ["question_answering", "creative_writing", "code_generation", "data_analysis",
           "reasoning", "summarization", "translation", "conversation", "task_planning", "problem_solving"]
SEQ_LEN = 128
VOCAB = 30522


class Classifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(VOCAB, 768)
        layer = torch.nn.TransformerEncoderLayer(768, 12, 3072, batch_first=True)
        self.encoder = torch.nn.TransformerEncoder(layer, 12)
        self.head = torch.nn.Linear(768, len(INTENTS))

    def forward(self, ids):
        return self.head(self.encoder(self.embed(ids))[:, 0])


def token_ids(text):
    # A stand-in tokenizer: stable ids from characters, padded or cut to SEQ_LEN.
    ids = [(ord(c) * 2654435761) % VOCAB for c in text[:SEQ_LEN]]
    return ids + [0] * (SEQ_LEN - len(ids))


class Batcher:
    def __init__(self, model, device, max_batch, max_delay_s):
        self.model, self.device = model, device
        self.max_batch, self.max_delay_s = max_batch, max_delay_s
        self.queue = asyncio.Queue()
        self.gpu = ThreadPoolExecutor(max_workers=1)

    async def classify(self, texts):
        future = asyncio.get_running_loop().create_future()
        await self.queue.put((texts, future))
        return await future

    def forward(self, texts):
        with torch.inference_mode():
            ids = torch.tensor([token_ids(t) for t in texts], device=self.device)
            probs = torch.softmax(self.model(ids).float(), dim=-1)
            conf, idx = probs.max(dim=-1)
            return list(zip(idx.tolist(), conf.tolist()))

    async def run(self):
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self.queue.get()]
            size = len(batch[0][0])
            deadline = loop.time() + self.max_delay_s
            while size < self.max_batch:
                timeout = deadline - loop.time()
                if timeout <= 0:
                    break
                try:
                    item = await asyncio.wait_for(self.queue.get(), timeout)
                except asyncio.TimeoutError:
                    break
                batch.append(item)
                size += len(item[0])
            texts = [t for item, _ in batch for t in item]
            started = time.perf_counter()
            results = await loop.run_in_executor(self.gpu, self.forward, texts)
            seconds = time.perf_counter() - started
            at = 0
            for item, future in batch:
                future.set_result((results[at:at + len(item)], seconds))
                at += len(item)


def classification(result, seconds):
    index, confidence = result
    return {"intent": INTENTS[index], "confidence": confidence, "complexity": "moderate",
            "suggested_techniques": ["chain_of_thought"],
            "metadata": {"processing_time": seconds, "model_version": "torch-bert-base-random", "tokens_used": SEQ_LEN}}


class Server:
    def __init__(self, batcher, max_in_flight):
        self.batcher, self.max_in_flight, self.in_flight = batcher, max_in_flight, 0

    async def route(self, method, path, body):
        if method == "GET" and path in ("/api/v1/health", "/health"):
            return 200, {"status": "healthy", "service": "torch-classify"}
        if method != "POST" or path not in ("/api/v1/intents/classify", "/api/v1/intents/classify/batch"):
            return 404, {"error": "not found"}
        if self.in_flight >= self.max_in_flight:
            return 503, {"error": "over capacity"}
        self.in_flight += 1
        try:
            request = json.loads(body)
            if path.endswith("/batch"):
                texts = request["texts"]
                results, seconds = await self.batcher.classify(texts)
                return 200, {"results": [classification(r, seconds) for r in results], "total_processing_time": seconds}
            results, seconds = await self.batcher.classify([request["text"]])
            return 200, classification(results[0], seconds)
        except (KeyError, ValueError, TypeError) as error:
            return 400, {"error": f"bad request: {error}"}
        finally:
            self.in_flight -= 1

    async def connection(self, reader, writer):
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                method, path, _ = line.decode("latin-1").split(" ", 2)
                length = 0
                while True:
                    header = await reader.readline()
                    if header in (b"\r\n", b"\n", b""):
                        break
                    name, _, value = header.decode("latin-1").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                body = await reader.readexactly(length) if length else b""
                status, payload = await self.route(method, path, body)
                data = json.dumps(payload).encode()
                reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 503: "Service Unavailable"}[status]
                extra = "Retry-After: 1\r\n" if status == 503 else ""
                writer.write(f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {len(data)}\r\n{extra}\r\n".encode() + data)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            writer.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8301)
    parser.add_argument("--max-batch", type=int, default=64)
    parser.add_argument("--max-queue-delay-ms", type=float, default=2.0)
    parser.add_argument("--max-in-flight", type=int, default=1024)
    args = parser.parse_args()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = Classifier().to(device).eval()
    if device == "cuda":
        model = model.half()
    batcher = Batcher(model, device, args.max_batch, args.max_queue_delay_ms / 1000)
    batcher.forward(["warm up"] * args.max_batch)
    server = Server(batcher, args.max_in_flight)
    asyncio.get_running_loop().create_task(batcher.run())
    listener = await asyncio.start_server(server.connection, "127.0.0.1", args.port, backlog=4096)
    print(f"torch-classify on http://127.0.0.1:{args.port} ({device}, max batch {args.max_batch})", flush=True)
    async with listener:
        await listener.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
