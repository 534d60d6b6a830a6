# ruff: noqa
# Golden file: async functions, comprehensions, context managers and iteration.
import asyncio
import sys


async def fetch(client):
    async with client:
        print("connected")  # REC001
        async for chunk in client:
            assert chunk  # REC002: assert outside tests; use the façade's ensure_internal(condition, code, message)
    return [x async for x in client if print(x)]  # REC001


async def timeout(coro):
    try:
        return await asyncio.wait_for(coro, 1)
    except asyncio.TimeoutError:
        raise  # REC004: bare raise re-raises a foreign exception; convert it: raise translate(exc) from exc
    except Exception:  # REC005
        return None


async def exits():
    await asyncio.sleep(0)
    sys.exit(await code())  # REC007


class Stream:
    async def __anext__(self):
        raise StopAsyncIteration

    async def close(self):
        raise ConnectionError("closed")  # REC003
