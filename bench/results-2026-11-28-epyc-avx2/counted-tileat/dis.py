import re,sys,subprocess
# usage: dis.py asm.txt methodSubstring [nth]  -> disassembles the nth (default last) c2 non-OSR compile's MachCode
txt=open(sys.argv[1]).read().split('\n')
name=sys.argv[2]
starts=[i for i,l in enumerate(txt) if l.startswith('Compiled method (c2)') and name in l and ' % ' not in l]
i=starts[int(sys.argv[3]) if len(sys.argv)>3 else -1]
while '[MachCode]' not in txt[i]: i+=1
data=bytearray(); base=None
while '[/MachCode]' not in txt[i]:
    m=re.match(r'\s*0x([0-9a-f]+): ((?:[0-9a-f]{2,4} ?\|? ?)+)$', txt[i])
    if m and not txt[i].strip().endswith(':'):
        addr=int(m.group(1),16)
        if base is None: base=addr
        hexs=m.group(2).replace('|','').split()
        b=bytes.fromhex(''.join(hexs))
        if addr-base > len(data): data += bytes(addr-base-len(data))
        data[addr-base:addr-base+len(b)]=b
    i+=1
open('/tmp/sw/code.bin','wb').write(data)
print(subprocess.run(['objdump','-D','-b','binary','-mi386:x86-64','-M','intel','--adjust-vma=%#x'%base,'/tmp/sw/code.bin'],capture_output=True,text=True).stdout)
