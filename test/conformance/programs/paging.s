; paging: a stack that grows by demand paging (a #PF handler maps each page as deep
; recursion reaches it), PTE edits with and without invlpg, the running code page
; remapped under itself, a kernel whose exception frames land on code it runs next, user
; code rewriting itself, and a page directory that maps itself.
        .entry  start
        .equ    CONSOLE, 0x3f8
        .equ    EXIT, 0xf4
        .equ    IDT, 0x8000
        .equ    PD, 0x100000
        .equ    PT, 0x101000
        .equ    KSTACK, 0x70000
        .equ    STACKTOP, 0x240000       ; the demand-paged stack grows down from here
        .equ    POOL, 0x300000           ; frames the #PF handler hands out
        .equ    RUN, 0x5000              ; the remapped running page (two frames, A and B)
        .equ    FRAMEA, 0x380000
        .equ    FRAMEB, 0x381000
        .equ    SELF, 0x3ff000           ; PD[0] maps... PD[1023] = PD: the tables at 0xffc00000
start:  mov     sp, KSTACK
        mov     r0, KSTACK
        wrmsr   0, r0
        mov     r6, 7
        mov     r0, 0
gates:  mov     r1, r0
        shl     r1, 3
        add     r1, IDT
        mov     r2, generic
        st      [r1], r2
        mov     r2, 7
        st      [r1+4], r2
        add     r0, 1
        cmp     r0, 256
        jb      gates
        mov     r1, pf
        st      [IDT + 14*8], r1
        mov     r1, sys
        st      [IDT + 0x80*8], r1
        mov     r0, idtr
        lidt    [r0]
        ; identity map 0..2 MiB (user rw), nothing else yet
        mov     r0, 0
        mov     r1, PT
ident:  mov     r2, r0
        or      r2, 7
        st      [r1], r2
        add     r1, 4
        add     r0, 4096
        cmp     r0, 0x200000
        jb      ident
        mov     r0, PT | 7
        st      [PD], r0
        mov     r0, PD | 3
        st      [PD + 1023*4], r0        ; the directory maps itself
        ; map the pool pages for the page tables' own use: 0x300000.. identity
        mov     r0, 0x300007
        st      [PT + (0x300000 >> 10)], r0
        mov     r0, FRAMEA | 7
        st      [PT + (FRAMEA >> 10)], r0
        mov     r0, FRAMEB | 7
        st      [PT + (FRAMEB >> 10)], r0
        mov     r0, PD
        mov     cr3, r0
        mov     r0, 0x80010001           ; PG | WP | PE
        mov     cr0, r0

        ; 1. deep recursion on a demand-paged stack: 3 pages deep and back
        mov     r0, back1
        st      [sysret], r0
        mov     r0, urec
        push    STACKTOP
        push    0
        push    3
        push    r0
        iret
back1:  call    mix
        ld      r1, [faults]
        call    mix
        ; the page tables seen through the self map: the PTE of the stack's lowest page
        ld      r1, [0xffc00000 + ((STACKTOP - 0x3000) >> 10)]
        and     r1, 0xfffff007
        call    mix
        ; write a PTE through the self map (supervisor rw), then read the page
        mov     r0, 0x200007
        st      [0xffc00000 + (0x3f0000 >> 10)], r0
        ld      r1, [0x3f0000 + 16]      ; frame 0x200000: stack data of the recursion
        call    mix

        ; 2. PTE edits: remap a data page with invlpg, without, via a CR3 reload
        mov     r0, 0x1234
        st      [0x1f0000], r0
        mov     r0, 0x5678
        st      [0x1f1000], r0
        ld      r1, [0x1f0000]
        call    mix
        mov     r0, 0x1f1007
        st      [PT + (0x1f0000 >> 10)], r0
        ld      r1, [0x1f0000]            ; no invlpg: the new mapping still shows
        call    mix
        mov     r0, 0x1f0007
        st      [PT + (0x1f0000 >> 10)], r0
        mov     r2, 0x1f0000
        invlpg  [r2]
        ld      r1, [0x1f0000]
        call    mix
        mov     r0, 0x1f0005              ; read-only: a supervisor store faults (WP)
        st      [PT + (0x1f0000 >> 10)], r0
        mov     r0, after_ro
        st      [resume], r0
        st      [0x1f0000], r0
after_ro: ld    r1, [lastcr2]
        call    mix
        mov     r0, 0x1f0007
        st      [PT + (0x1f0000 >> 10)], r0
        mov     r0, cr3
        mov     cr3, r0

        ; 3. the running page remapped under itself: RUN maps frame A, whose code maps B
        mov     r0, FRAMEA | 7
        st      [PT + (RUN >> 10)], r0
        ; copy the code at `flip` into both frames, patching a different immediate
        mov     r2, 0
copy:   ld      r0, [r2 + flip]
        st      [r2 + FRAMEA], r0
        st      [r2 + FRAMEB], r0
        add     r2, 4
        cmp     r2, flip_end - flip
        jb      copy
        mov     r0, 0xa
        st      [FRAMEA + (flip_val - flip) + 4], r0
        mov     r0, 0xb
        st      [FRAMEB + (flip_val - flip) + 4], r0
        call    RUN
        call    mix
        call    RUN                       ; RUN now maps B: the same code maps A again
        call    mix
        call    RUN
        call    mix

        ; 4. exception frames pushed onto code the kernel runs next
        mov     r0, after_frame
        st      [resume], r0
        mov     sp, landing + 32
        int     3                          ; generic: resumes at after_frame, frame over `landing`
after_frame:
        mov     sp, KSTACK
        ld      r1, [landing]
        call    mix
        ; now put code back there and run it, after a pushed return address overwrote it
        mov     r0, 0x0102                 ; mov r1, imm
        st      [landing], r0
        mov     r0, 0x4444
        st      [landing + 4], r0
        mov     r0, 0x4a                   ; ret
        st      [landing + 8], r0
        mov     r0, 0
        st      [landing + 12], r0
        call    landing
        call    mix
        mov     sp, landing + 8            ; the frame of `call` lands on the immediate...
        call    landing2                   ; which pushes 0x... over landing+4
        mov     sp, KSTACK
        call    landing
        call    mix
        ; a pushf over code, then run it
        mov     sp, landing + 8
        pushf                               ; flags over the immediate of `mov r1, imm`
        mov     sp, KSTACK
        call    landing
        call    mix

        ; 5. user code rewriting itself, then a syscall
        mov     r0, back
        st      [sysret], r0
        mov     r0, user
        push    0x1f8000
        push    0
        push    3
        push    r0
        iret
back:   call    mix

        mov     r1, r6
        call    show
        mov     r0, r6
        and     r0, 0x7f
        out     EXIT, r0

landing2: ret

rec:    push    r1
        sub     r1, 1
        jz      rec_end
        call    rec
rec_end: pop    r2
        add     r1, r2
        ret

mix:    mul     r6, 31
        add     r6, r1
        ret

        .include "lib/show.s"

; pf: map a fresh pool frame at the faulting page if it is in the stack region, else resume
pf:     push    r0
        push    r1
        mov     r0, cr2
        st      [lastcr2], r0
        ld      r1, [faults]
        add     r1, 1
        st      [faults], r1
        cmp     r0, 0x200000
        jb      pf_other
        cmp     r0, STACKTOP
        jae     pf_other
        shr     r0, 12
        mov     r1, r0
        shl     r1, 2
        add     r1, PT
        shl     r0, 12                   ; identity frame
        or      r0, 7
        st      [r1], r0
        pop     r1
        pop     r0
        add     sp, 4
        iret
pf_other: mov   sp, KSTACK
        ld      r0, [resume]
        jmp     r0

generic: ld     r0, [resume]
        jmp     r0

; flip: runs at RUN; maps the other frame at RUN and returns through the new page's ret
flip:   ld      r0, [PT + (RUN >> 10)]
        xor     r0, FRAMEA ^ FRAMEB
        st      [PT + (RUN >> 10)], r0    ; the next fetch comes from the other frame
flip_val: mov   r1, 0
        ret
flip_end:

        .align  16
landing: .space 32

user:   mov     r1, 3
        mov     r2, 0x0102
        st      [upatch], r2
        mov     r2, 0x99
        st      [upatch + 4], r2
upatch: nop
        add     r1, 1
        int     0x80

sys:    mov     sp, KSTACK
        ld      r0, [sysret]
        jmp     r0

urec:   mov     r1, 600
        call    rec
        int     0x80

faults: .word   0
lastcr2: .word  0
resume: .word   0
sysret: .word   0
idtr:   .word   256*8 - 1, IDT
