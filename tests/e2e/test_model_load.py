"""deploy/rasa_main.py loads the trained model for prediction without Rasa's one-step training, and
what it loads is what Rasa's own loader loads: the same variables with the same values, the same parses.

Each loader runs in a process of its own (the patch is process-wide; TensorFlow keeps state).
"""
from __future__ import annotations

import asyncio
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np

from deploy.stack import MODEL, RASA_BIN, ROOT

TEXTS = ["你好", "我要起诉", "诉讼费多少钱", "我的案子立案了吗", "算了不填了", "是的", "不对", "张三",
         "借款、合同、赔偿等财产纠纷", "5万", "查询进度 LA20200101999999", "转人工"]


def load_and_dump(loader: str, out: Path) -> None:
    """Load MODEL with `loader` ("rasa" or "ours"); pickle every TF model's variables and the parses."""
    if loader == "ours":
        from deploy.rasa_main import install

        install()
    from rasa.core.agent import Agent
    from rasa.utils.tensorflow.models import RasaModel

    agent = Agent.load(str(MODEL))
    variables = {}
    for name, node in agent.processor.graph_runner._instantiated_nodes.items():
        model = getattr(getattr(node, "_component", None), "model", None)
        if isinstance(model, RasaModel):
            variables[name] = {v.name: v.numpy() for v in model.variables}
    parses = [asyncio.run(agent.parse_message(text)) for text in TEXTS]
    out.write_bytes(pickle.dumps({"variables": variables, "parses": parses}))


def _dump(loader: str, tmp_path: Path) -> dict:
    out = tmp_path / f"{loader}.pickle"
    subprocess.run([str(RASA_BIN / "python"), __file__, loader, str(out)], cwd=ROOT, check=True,
                   env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, capture_output=True, timeout=900)
    return pickle.loads(out.read_bytes())


def test_our_loader_gives_rasas_weights_and_parses(tmp_path: Path) -> None:
    assert MODEL.exists(), "no trained model: run `make train`"
    rasa, ours = _dump("rasa", tmp_path), _dump("ours", tmp_path)
    assert len(rasa["variables"]) == 3  # DIET, ResponseSelector, TED
    assert rasa["variables"].keys() == ours["variables"].keys()
    for component, theirs in rasa["variables"].items():
        mine = ours["variables"][component]
        assert mine.keys() == theirs.keys(), component
        for name, value in theirs.items():
            assert np.array_equal(mine[name], value), f"{component}: {name}"
    for theirs, mine in zip(rasa["parses"], ours["parses"]):
        assert mine["intent"]["name"] == theirs["intent"]["name"]
        assert [i["name"] for i in mine["intent_ranking"]] == [i["name"] for i in theirs["intent_ranking"]]
        assert np.allclose([i["confidence"] for i in mine["intent_ranking"]],
                           [i["confidence"] for i in theirs["intent_ranking"]], atol=1e-6)
        assert [(e["entity"], e["value"]) for e in mine["entities"]] == \
               [(e["entity"], e["value"]) for e in theirs["entities"]]
        assert mine.get("response_selector") == theirs.get("response_selector") or np.allclose(
            mine["response_selector"]["faq"]["response"]["confidence"],
            theirs["response_selector"]["faq"]["response"]["confidence"], atol=1e-6)


if __name__ == "__main__":
    load_and_dump(sys.argv[1], Path(sys.argv[2]))
