/** PyTorch models, datasets and loops. */
import type { PythonFile, Section } from './python-file';
import { ADJECTIVES, camel, DATA, NOUNS } from './vocab';

const ACTIVATIONS = ['nn.ReLU()', 'nn.GELU()', 'nn.SiLU()', 'nn.LeakyReLU(0.1)', 'nn.Tanh()'];

function modelName(f: PythonFile, kind: string): string {
  const name = f.fresh(camel(f.rand.pick(ADJECTIVES), f.rand.pick(NOUNS), kind));
  f.models.push(name);
  return name;
}

const mlp: Section = (f) => {
  const { rand } = f;
  f.need('torch', 'nn');
  const name = modelName(f, rand.pick(['MLP', 'Net', 'Model']));
  const depth = rand.int(2, 5);
  const act = rand.pick(ACTIVATIONS);
  return [
    `class ${name}(nn.Module):`,
    `    def __init__(self, in_features=${rand.pick([16, 32, 64, 128, 784, 1024])}, hidden=${rand.pick([64, 128, 256, 512])}, num_classes=${rand.pick([2, 10, 100])}, dropout=${rand.float(0, 0.5, 1)}):`,
    '        super().__init__()',
    '        layers = []',
    '        width = in_features',
    `        for _ in range(${depth}):`,
    `            layers += [nn.Linear(width, hidden), ${act}, nn.Dropout(dropout)]`,
    '            width = hidden',
    '        self.body = nn.Sequential(*layers)',
    '        self.out = nn.Linear(width, num_classes)',
    '',
    '    def forward(self, x):',
    '        x = x.flatten(1)',
    '        return self.out(self.body(x))',
  ];
};

const cnn: Section = (f) => {
  const { rand } = f;
  f.need('torch', 'nn', 'F');
  const name = modelName(f, rand.pick(['CNN', 'ConvNet', 'Classifier']));
  const widths = [rand.pick([16, 32, 64]), rand.pick([64, 128]), rand.pick([128, 256])].slice(0, rand.int(2, 3));
  const convs: string[] = [];
  let prev = 'in_channels';
  widths.forEach((w, i) => {
    convs.push(`        self.conv${i + 1} = nn.Conv2d(${prev}, ${w}, kernel_size=${rand.pick([3, 5])}, padding="same")`);
    convs.push(`        self.bn${i + 1} = nn.BatchNorm2d(${w})`);
    prev = String(w);
  });
  return [
    `class ${name}(nn.Module):`,
    `    """A ${widths.length}-stage convolutional classifier."""`,
    '',
    `    def __init__(self, in_channels=${rand.pick([1, 3])}, num_classes=${rand.pick([10, 100, 1000])}):`,
    '        super().__init__()',
    ...convs,
    '        self.pool = nn.MaxPool2d(2)',
    '        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), ' + `nn.Dropout(${rand.float(0.1, 0.5, 1)}), nn.Linear(${prev}, num_classes))`,
    '',
    '    def forward(self, x):',
    ...widths.map((_, i) => `        x = self.pool(F.${rand.pick(['relu', 'gelu', 'silu'])}(self.bn${i + 1}(self.conv${i + 1}(x))))`),
    '        return self.head(x)',
  ];
};

const rnn: Section = (f) => {
  const { rand } = f;
  f.need('torch', 'nn');
  const cell = rand.pick(['LSTM', 'GRU', 'RNN']);
  const name = modelName(f, `${cell}Tagger`);
  const bidi = rand.chance(0.5);
  return [
    `class ${name}(nn.Module):`,
    `    def __init__(self, vocab_size=${rand.pick([5000, 10000, 30522])}, embed_dim=${rand.pick([64, 128, 300])}, hidden=${rand.pick([128, 256, 512])}, num_tags=${rand.int(2, 40)}):`,
    '        super().__init__()',
    '        self.embed = nn.Embedding(vocab_size, embed_dim, padding_idx=0)',
    `        self.rnn = nn.${cell}(embed_dim, hidden, num_layers=${rand.int(1, 3)}, batch_first=True, bidirectional=${bidi ? 'True' : 'False'})`,
    `        self.dropout = nn.Dropout(${rand.float(0.1, 0.5, 1)})`,
    `        self.proj = nn.Linear(hidden * ${bidi ? 2 : 1}, num_tags)`,
    '',
    '    def forward(self, tokens, lengths=None):',
    '        x = self.dropout(self.embed(tokens))',
    '        out, _ = self.rnn(x)',
    '        if lengths is not None:',
    '            mask = torch.arange(out.size(1), device=out.device)[None, :] < lengths[:, None]',
    '            out = out * mask.unsqueeze(-1)',
    '        return self.proj(out)',
  ];
};

const attention: Section = (f) => {
  const { rand } = f;
  f.need('torch', 'nn');
  const name = modelName(f, rand.pick(['TransformerBlock', 'AttentionBlock', 'EncoderLayer']));
  const dim = rand.pick([128, 256, 384, 512, 768]);
  return [
    `class ${name}(nn.Module):`,
    `    def __init__(self, dim=${dim}, heads=${rand.pick([4, 8, 12])}, mlp_ratio=${rand.pick([2, 4])}, dropout=${rand.float(0, 0.3, 1)}):`,
    '        super().__init__()',
    '        self.norm1 = nn.LayerNorm(dim)',
    '        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)',
    '        self.norm2 = nn.LayerNorm(dim)',
    '        self.mlp = nn.Sequential(',
    '            nn.Linear(dim, dim * mlp_ratio),',
    `            ${rand.pick(ACTIVATIONS)},`,
    '            nn.Dropout(dropout),',
    '            nn.Linear(dim * mlp_ratio, dim),',
    '        )',
    '',
    '    def forward(self, x, mask=None):',
    '        h = self.norm1(x)',
    '        attended, _ = self.attn(h, h, h, key_padding_mask=mask, need_weights=False)',
    '        x = x + attended',
    '        return x + self.mlp(self.norm2(x))',
  ];
};

const residual: Section = (f) => {
  const { rand } = f;
  f.need('torch', 'nn', 'F');
  const name = modelName(f, rand.pick(['ResBlock', 'BasicBlock', 'Bottleneck']));
  return [
    `class ${name}(nn.Module):`,
    `    def __init__(self, channels=${rand.pick([32, 64, 128, 256])}, stride=1):`,
    '        super().__init__()',
    '        self.conv1 = nn.Conv2d(channels, channels, 3, stride=stride, padding=1, bias=False)',
    '        self.bn1 = nn.BatchNorm2d(channels)',
    '        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)',
    '        self.bn2 = nn.BatchNorm2d(channels)',
    '        self.shortcut = nn.Identity() if stride == 1 else nn.Sequential(',
    '            nn.Conv2d(channels, channels, 1, stride=stride, bias=False), nn.BatchNorm2d(channels)',
    '        )',
    '',
    '    def forward(self, x):',
    '        out = F.relu(self.bn1(self.conv1(x)))',
    '        out = self.bn2(self.conv2(out))',
    '        return F.relu(out + self.shortcut(x))',
  ];
};

const dataset: Section = (f) => {
  const { rand } = f;
  f.need('torch', 'data');
  const name = f.fresh(`${camel(rand.pick(DATA))}Dataset`);
  f.datasets.push(name);
  const fromDisk = rand.chance(0.4);
  if (fromDisk) f.need('np', 'os');
  return [
    `class ${name}(Dataset):`,
    fromDisk ? `    """Arrays saved as .npz shards under \`root\`."""` : '    """Synthetic data with the shapes of the real set, for smoke tests."""',
    '',
    fromDisk
      ? `    def __init__(self, root="${rand.pick(['data', 'cache', '/mnt/data'])}/${f.project.name}", split="train", transform=None):`
      : `    def __init__(self, size=${rand.pick([256, 1000, 4096, 10000])}, dim=${rand.pick([16, 32, 64, 784])}, num_classes=${rand.pick([2, 10, 100])}, transform=None):`,
    ...(fromDisk
      ? [
          '        path = os.path.join(root, f"{split}.npz")',
          '        arrays = np.load(path)',
          '        self.inputs = torch.from_numpy(arrays["x"]).float()',
          '        self.targets = torch.from_numpy(arrays["y"]).long()',
        ]
      : ['        self.inputs = torch.randn(size, dim)', '        self.targets = torch.randint(0, num_classes, (size,))']),
    '        self.transform = transform',
    '',
    '    def __len__(self):',
    '        return len(self.targets)',
    '',
    '    def __getitem__(self, index):',
    '        x = self.inputs[index]',
    '        if self.transform is not None:',
    '            x = self.transform(x)',
    '        return x, self.targets[index]',
  ];
};

const trainEpoch: Section = (f) => {
  const { rand } = f;
  f.need('torch', 'nn');
  const name = f.fresh(rand.pick(['train_one_epoch', 'train_epoch', 'run_epoch', 'fit_epoch']));
  f.trainFunctions.push(name);
  const model = rand.pick(['model', 'net']);
  const opt = rand.pick(['optimizer', 'opt']);
  const amp = rand.chance(0.3);
  const clip = rand.chance(0.4);
  const log = rand.chance(0.5);
  return [
    `def ${name}(${model}, loader, ${opt}, criterion, device, scaler=None):`,
    `    ${model}.train()`,
    '    total, seen = 0.0, 0',
    '    for step, (inputs, targets) in enumerate(loader):',
    '        inputs, targets = inputs.to(device), targets.to(device)',
    `        ${opt}.zero_grad(set_to_none=True)`,
    ...(amp
      ? [
          '        with torch.autocast(device_type=device.type, enabled=scaler is not None):',
          `            loss = criterion(${model}(inputs), targets)`,
          '        if scaler is not None:',
          '            scaler.scale(loss).backward()',
          `            scaler.step(${opt})`,
          '            scaler.update()',
          '        else:',
          '            loss.backward()',
          `            ${opt}.step()`,
        ]
      : [
          `        loss = criterion(${model}(inputs), targets)`,
          '        loss.backward()',
          ...(clip ? [`        nn.utils.clip_grad_norm_(${model}.parameters(), ${rand.float(0.5, 5, 1)})`] : []),
          `        ${opt}.step()`,
        ]),
    '        total += loss.item() * inputs.size(0)',
    '        seen += inputs.size(0)',
    ...(log ? [`        if step % ${rand.pick([10, 50, 100])} == 0:`, '            print(f"  step {step}: loss {loss.item():.4f}")'] : []),
    '    return total / max(1, seen)',
  ];
};

const evaluate: Section = (f) => {
  const { rand } = f;
  f.need('torch');
  const name = f.fresh(rand.pick(['evaluate', 'validate', 'run_eval', 'test_epoch']));
  f.evalFunctions.push(name);
  return [
    '@torch.no_grad()',
    `def ${name}(model, loader, criterion, device):`,
    '    model.eval()',
    '    total, correct, seen = 0.0, 0, 0',
    '    for inputs, targets in loader:',
    '        inputs, targets = inputs.to(device), targets.to(device)',
    '        outputs = model(inputs)',
    '        total += criterion(outputs, targets).item() * inputs.size(0)',
    '        correct += (outputs.argmax(dim=1) == targets).sum().item()',
    '        seen += inputs.size(0)',
    ...(rand.chance(0.5) ? ['    accuracy = correct / max(1, seen)', `    print(f"${rand.pick(['val', 'eval', 'test'])} accuracy {accuracy:.3f}")`] : []),
    '    return total / max(1, seen)',
  ];
};

const checkpoint: Section = (f) => {
  f.need('torch', 'os');
  const save = f.fresh(f.rand.pick(['save_checkpoint', 'save_state', 'dump_checkpoint']));
  const load = f.fresh(f.rand.pick(['load_checkpoint', 'restore_checkpoint', 'resume_from']));
  return [
    `def ${save}(model, optimizer, epoch, path):`,
    '    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)',
    '    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}, path)',
    '',
    '',
    `def ${load}(model, optimizer, path, device="cpu"):`,
    '    state = torch.load(path, map_location=device)',
    '    model.load_state_dict(state["model"])',
    '    if optimizer is not None:',
    '        optimizer.load_state_dict(state["optimizer"])',
    '    return state.get("epoch", 0)',
  ];
};

const countParams: Section = (f) => {
  const name = f.fresh(f.rand.pick(['count_parameters', 'num_params', 'parameter_count']));
  f.helpers.push(name);
  return [
    `def ${name}(model, trainable_only=${f.rand.pick(['True', 'False'])}):`,
    '    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)',
  ];
};

export const TORCH_MODELS: [Section, number][] = [[mlp, 3], [cnn, 3], [rnn, 2], [attention, 2], [residual, 2]];
export const TORCH_SECTIONS: [Section, number][] = [...TORCH_MODELS, [dataset, 3], [trainEpoch, 3], [evaluate, 3], [checkpoint, 1], [countParams, 1]];
export const TORCH_DATA: [Section, number][] = [[dataset, 4]];
