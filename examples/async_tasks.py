"""Coroutines: awaiting, gathering tasks, an async generator."""
import asyncio


async def double(x):
    await asyncio.sleep(0)
    return x * 2


async def numbers(limit):
    for i in range(limit):
        yield i
        await asyncio.sleep(0)


async def main():
    results = await asyncio.gather(double(1), double(2))
    collected = [n async for n in numbers(2)]
    return results, collected


print(asyncio.run(main()))
