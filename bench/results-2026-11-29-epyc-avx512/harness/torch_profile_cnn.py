# The cnn model's SGD step in PyTorch under torch.profiler (per-operator times, two threads). Run with /usr/bin/python3.
import os, sys
os.environ.setdefault("OPENBLAS_NUM_THREADS","1")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../.."))
import torch, time
import pytorch_train_step as p
torch.set_num_threads(2)
m = p.Cnn()
x = torch.randn(128,1,28,28); y = torch.randint(0,10,(128,))
opt = torch.optim.SGD(m.parameters(), lr=1e-3, momentum=0.9, nesterov=True)
lossf = torch.nn.CrossEntropyLoss()
def step():
    opt.zero_grad(); l = lossf(m(x), y); l.backward(); opt.step()
for _ in range(20): step()
t=time.time()
for _ in range(20): step()
print("ms/step", (time.time()-t)/20*1000)
from torch.profiler import profile, ProfilerActivity
with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
    for _ in range(10): step()
print(prof.key_averages(group_by_input_shape=True).table(sort_by="self_cpu_time_total", row_limit=30))
